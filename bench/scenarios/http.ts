import { load, ratio, startBareFastify, startBenchApp, type BenchContext, type BenchRow } from '../harness.js'

/**
 * The HTTP path of the real app against a bare Fastify hello-world, same connections and duration: GET /healthz (no
 * database) and, on each engine, GET /readyz (one database round trip per request).
 */
export default async function httpBench(ctx: BenchContext): Promise<BenchRow[]> {
  const duration = ctx.quick ? 1 : 5
  const bare = await startBareFastify()
  const baseline = await load({ url: bare.url, duration })
  await bare.close()
  const rows: BenchRow[] = []
  for (const engine of ctx.engines) {
    const app = await startBenchApp(ctx, engine)
    if (engine === ctx.engines[0]) {
      const healthz = await load({ url: `${app.url}/healthz`, duration })
      rows.push(
        { scenario: 'GET /healthz', engine: '-', metric: 'req/s', value: Math.round(healthz.rps), unit: 'req/s', baseline: 'bare Fastify GET', baselineValue: Math.round(baseline.rps), ratio: ratio(healthz.rps, baseline.rps) },
        { scenario: 'GET /healthz', engine: '-', metric: 'p99', value: healthz.p99, unit: 'ms', baseline: 'bare Fastify GET', baselineValue: baseline.p99 },
      )
    }
    const readyz = await load({ url: `${app.url}/readyz`, duration })
    await app.close()
    const answered = readyz.errors === 0 && readyz.non2xx === 0
    rows.push(
      { scenario: 'GET /readyz (select 1)', engine, metric: 'req/s', value: Math.round(readyz.rps), unit: 'req/s', baseline: 'bare Fastify GET', baselineValue: Math.round(baseline.rps), ratio: ratio(readyz.rps, baseline.rps), goal: 'no error', met: answered },
      { scenario: 'GET /readyz (select 1)', engine, metric: 'p99', value: readyz.p99, unit: 'ms', baseline: 'bare Fastify GET', baselineValue: baseline.p99 },
    )
  }
  return rows
}
