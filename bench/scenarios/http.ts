import { load, ratio, startBareFastify, startBenchApp, type BenchContext, type BenchRow } from '../harness.js'

/** GET /healthz on the real app against a bare Fastify hello-world, same connections and duration. */
export default async function httpBench(ctx: BenchContext): Promise<BenchRow[]> {
  const duration = ctx.quick ? 1 : 5
  const bare = await startBareFastify()
  const baseline = await load({ url: bare.url, duration })
  await bare.close()
  const app = await startBenchApp(ctx, 'pglite')
  const healthz = await load({ url: `${app.url}/healthz`, duration })
  await app.close()
  return [
    { scenario: 'GET /healthz', engine: '-', metric: 'req/s', value: Math.round(healthz.rps), unit: 'req/s', baseline: 'bare Fastify GET', baselineValue: Math.round(baseline.rps), ratio: ratio(healthz.rps, baseline.rps) },
    { scenario: 'GET /healthz', engine: '-', metric: 'p99', value: healthz.p99, unit: 'ms', baseline: 'bare Fastify GET', baselineValue: baseline.p99 },
  ]
}
