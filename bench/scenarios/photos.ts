import sharp from 'sharp'
import { fullSize, thumbSize } from '../../server/src/modules/photos/pipeline.js'
import { PhotoPool } from '../../server/src/modules/photos/pool.js'
import { multipart, pixelFloodPng } from '../../test/server/photos/fixtures.js'
import { ratio, startBenchApp, type BenchContext, type BenchRow } from '../harness.js'

/**
 * The photo pipeline (sniff, header check, full decode, orient, 2048 px + 400 px WebP, in the worker pool) against raw
 * sharp doing the same resize and encode on the main thread, on the same 12 MP JPEG with the same concurrency; and
 * the time and memory it takes to refuse a 17000 × 17000 pixel-flood PNG.
 */
const concurrency = 2

/** A 4000 × 3000 camera-like JPEG: blurred noise compresses like a real photo, not like a flat colour or pure noise. */
async function twelveMegapixelJpeg(): Promise<Buffer> {
  const noise = await sharp({ create: { width: 1000, height: 750, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer()
  return sharp(noise).resize(4000, 3000, { kernel: 'cubic' }).blur(1.2).withExif({ IFD0: { Make: 'Bench', Model: 'Twelve' } }).jpeg({ quality: 90 }).toBuffer()
}

async function rawSharp(input: Buffer): Promise<void> {
  const upright = sharp(input).autoOrient()
  await Promise.all([
    upright.clone().resize(fullSize, fullSize, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 82 }).toBuffer(),
    upright.clone().resize(thumbSize, thumbSize, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer(),
  ])
}

/** Images per second doing `job` `count` times, `concurrency` at a time. */
async function throughput(count: number, job: () => Promise<unknown>): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < count) await job()
  }))
  return count / ((performance.now() - started) / 1000)
}

/** Runs `fn` while sampling the process's resident memory every millisecond; returns its time and the peak growth. */
async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; rssGrowthMb: number; result: T | Error }> {
  const before = process.memoryUsage.rss()
  let peak = before
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 1)
  const started = performance.now()
  let result: T | Error
  try {
    result = await fn()
  } catch (err) {
    result = err as Error
  }
  const ms = performance.now() - started
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  return { ms, rssGrowthMb: (peak - before) / 1024 / 1024, result }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export default async function photosBench(ctx: BenchContext): Promise<BenchRow[]> {
  const count = ctx.quick ? 6 : 20
  const jpeg = await twelveMegapixelJpeg()
  const pool = new PhotoPool()
  // Warm both: the workers' first sharp call loads libvips, the main thread's too.
  await rawSharp(jpeg)
  await pool.process(jpeg)

  const raw = await throughput(count, () => rawSharp(jpeg))
  const ours = await throughput(count, () => pool.process(jpeg))

  const flood = await pixelFloodPng(17000, 17000)
  const headerOnly: number[] = []
  const refusals: Awaited<ReturnType<typeof measured>>[] = []
  for (let i = 0; i < 5; i++) {
    headerOnly.push((await measured(() => sharp(flood, { limitInputPixels: false }).metadata())).ms)
    refusals.push(await measured(() => pool.process(flood)))
  }
  await pool.close()
  const refused = refusals.every((r) => r.result instanceof Error && (r.result as { code?: string }).code === 'PHOTO_TOO_MANY_PIXELS')
  const worstMs = Math.max(...refusals.map((r) => r.ms))
  const worstGrowth = Math.max(...refusals.map((r) => r.rssGrowthMb))

  // The same refusal through HTTP: multipart upload, pool, 422, nothing stored.
  const app = await startBenchApp(ctx, 'pglite')
  const httpMs: number[] = []
  let httpCode = ''
  for (let i = 0; i < 5; i++) {
    const { payload, headers } = multipart({ report: JSON.stringify({ category: 'vandalism', description: 'flood', address: 'here', anonymous: true }) }, [{ filename: 'f.png', type: 'image/png', data: flood }])
    const started = performance.now()
    const res = await fetch(`${app.url}/api/reports`, { method: 'POST', body: payload, headers })
    httpCode = ((await res.json()) as { code: string }).code
    httpMs.push(performance.now() - started)
  }
  await app.close()

  const scenario = 'photo pipeline, 12 MP JPEG'
  const floodScenario = 'pixel flood PNG 17000²'
  return [
    { scenario, engine: '-', metric: `photos/s (${concurrency} at a time)`, value: round(ours, 2), unit: 'photos/s', baseline: 'raw sharp, same resize + WebP', baselineValue: round(raw, 2), ratio: ratio(ours, raw), goal: '≥ 0.6 × raw sharp', met: ours >= 0.6 * raw },
    { scenario: floodScenario, engine: '-', metric: 'refusal, worst of 5 (pool)', value: round(worstMs), unit: 'ms', baseline: 'sharp header read', baselineValue: round(median(headerOnly)), goal: '≤ 50 ms, PHOTO_TOO_MANY_PIXELS', met: refused && worstMs <= 50 },
    { scenario: floodScenario, engine: '-', metric: 'peak RSS growth while refusing', value: round(worstGrowth), unit: 'MB', baseline: 'its pixels (1 byte each)', baselineValue: round((17000 * 17000) / 1024 / 1024), goal: '≪ pixels', met: worstGrowth < 32 },
    { scenario: floodScenario, engine: 'pglite', metric: 'HTTP 422, median of 5', value: round(median(httpMs)), unit: 'ms', baseline: 'upload of 281 KB included', goal: httpCode, met: httpCode === 'PHOTO_TOO_MANY_PIXELS' },
  ]
}
