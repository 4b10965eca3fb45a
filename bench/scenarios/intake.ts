import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type autocannon from 'autocannon'
import { eventAnnouncement } from '../../server/src/modules/realtime/events.js'
import { load, ratio, startBareFastify, startBenchApp, type BenchContext, type BenchRow, type Engine, type LoadResult } from '../harness.js'
import { pacedLoad } from '../paced.js'

/**
 * JSON intake (POST /api/reports, anonymous, no photos) at 64 connections on each engine, beside two baselines of
 * the same run: a bare Fastify POST (the HTTP ceiling of this machine) and raw INSERTs into a table shaped like
 * `reports` on the same engine, 64 at a time (the database ceiling). Throughput is measured at saturation (64
 * connections sending as fast as answers come back); on PostgreSQL the latency goal is also measured at the goal's
 * rate of 1,000 reports a second, sent on a schedule (bench/paced.ts): at saturation a closed loop's mean latency is
 * 64 / throughput whatever the code does.
 */
const connections = 64

// Varied reports, as residents send them, spread over the demo's neighbourhoods: each connection cycles through 256
// of them (8 texts with varying details at 64 places). Repeating one text at one place would make the moderation
// flagger, which runs in the same process after each intake, see a spam blast.
const texts = [
  ['nuisance', 'nl', 'Elke nacht luide muziek uit de lege winkel na middernacht, de hele straat ligt wakker.'],
  ['drugs', 'fr', 'Deal devant l’école tous les soirs vers 22 heures, des voitures qui s’arrêtent une minute.'],
  ['vandalism', 'en', 'Someone smashed the glass of the bus shelter again and sprayed tags on the wall.'],
  ['unsafe_place', 'ar', 'النفق تحت السكة مظلم تماما منذ أسبوع ولا أشعر بالأمان عند المرور.'],
  ['traffic', 'de', 'Autos rasen morgens durch die Schulstraße, obwohl dort Tempo 30 gilt.'],
  ['loitering', 'tr', 'Gece geç saatlere kadar parkta toplanan bir grup yoldan geçenleri rahatsız ediyor.'],
  ['theft', 'pl', 'Z piwnicy w naszym bloku ukradziono dwa rowery, zamek był wyłamany.'],
  ['public_space_defect', 'es', 'La farola de la esquina lleva dos semanas apagada y la acera tiene un agujero.'],
]
const reports = Array.from({ length: 256 }, (_, i) => {
  const [category, language, text] = texts[i % texts.length]!
  const place = (i * 7) % 64
  const description = `${text} (${2 + (i % 61)}, ${String((i * 5) % 24).padStart(2, '0')}:${String((i * 17) % 60).padStart(2, '0')})`
  const location = { lat: 50.815 + Math.floor(place / 8) * 0.006, lon: 4.355 + (place % 8) * 0.006 }
  return { method: 'POST' as const, body: JSON.stringify({ category, description, language, location, anonymous: true }) }
})

const rawTable = `create table if not exists bench_raw_reports (
  id bigserial primary key, reference text not null unique, category text not null, description text not null,
  language text not null, lat double precision, lon double precision, anonymous boolean not null, receipt_hash text unique,
  queue text not null, routing_reason text not null, status text not null default 'new', promised_response_hours integer not null,
  created_at timestamptz not null default now(), updated_at timestamptz not null default now())`
const rawInsert = `insert into bench_raw_reports (reference, category, description, language, lat, lon, anonymous, receipt_hash, queue, routing_reason, promised_response_hours)
  values ($1, 'nuisance', $2, 'nl', 50.8275, 4.3721, true, $3, 'central', 'bench', 72)`

/** Raw inserts per second: `connections` loops each inserting one row per autocommit statement, for `seconds`. */
async function rawInserts(ctx: BenchContext, engine: Engine, seconds: number): Promise<number> {
  let query: (text: string, params?: unknown[]) => Promise<unknown>
  let close: () => Promise<void>
  if (engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: ctx.postgresUrl, max: 20 })
    query = (text, params) => pool.query(text, params)
    close = async () => {
      await pool.query('drop table if exists bench_raw_reports')
      await pool.end()
    }
  } else {
    const db = await PGlite.create()
    query = (text, params) => db.query(text, params)
    close = () => db.close()
  }
  await query('drop table if exists bench_raw_reports')
  await query(rawTable)
  let done = 0
  let n = 0
  const until = performance.now() + seconds * 1000
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < until) {
      const i = n++
      await query(rawInsert, [`RAW-${i}`, `description ${i}`, `hash-${i}-${Math.random()}`])
      done++
    }
  }))
  await close()
  return done / seconds
}

/** Runs `measure` against a fresh app with the demo's zones, after a short warm-up at saturation. */
async function onFreshApp<T extends { errors: number; non2xx: number }>(ctx: BenchContext, engine: Engine, request: Omit<autocannon.Options, 'url'>, measure: (url: string) => Promise<T>): Promise<T> {
  const app = await startBenchApp(ctx, engine, { demo: true })
  try {
    // A short warm-up: JIT, the pool's connections, the first pages of the indexes.
    await load({ ...request, url: `${app.url}/api/reports`, duration: 1 })
    const result = await measure(`${app.url}/api/reports`)
    if (result.errors || result.non2xx) console.error(`intake ${engine}: ${result.errors} errors, ${result.non2xx} non-2xx answers`)
    return result
  } finally {
    await app.close()
  }
}

const intakeLoad = (ctx: BenchContext, engine: Engine, request: Omit<autocannon.Options, 'url'>): Promise<LoadResult> =>
  onFreshApp(ctx, engine, request, (url) => load({ ...request, url }))

const goalOf = (engine: Engine) => (engine === 'postgres' ? 1000 : 400)

export default async function intakeBench(ctx: BenchContext): Promise<BenchRow[]> {
  const duration = ctx.quick ? 3 : 10
  // The load generator runs in a worker thread, so it does not share the event loop of the app it measures.
  const request = { method: 'POST' as const, requests: reports, headers: { 'content-type': 'application/json' }, connections, duration, workers: 1 }
  const rows: BenchRow[] = []

  const bodies = reports.map((r) => r.body)
  const paced = (url: string, rate: number) => pacedLoad({ url, rate, connections, seconds: duration, requests: bodies })
  const bare = await startBareFastify()
  const bareLoad = await load({ ...request, url: bare.url })
  // The p99 goal is PostgreSQL's: latency when 1,000 reports a second arrive, beside the bare POST at that rate.
  const barePaced = ctx.engines.includes('postgres') ? await paced(bare.url, goalOf('postgres')) : undefined
  await bare.close()

  for (const engine of ctx.engines) {
    const raw = await rawInserts(ctx, engine, duration)
    const intake = await intakeLoad(ctx, engine, request)
    // Diagnostic: without numbering and announcing events (and so without the moderation flagging each announcement
    // starts in the same process), to show what intake itself costs and what the work after it adds.
    eventAnnouncement.enabled = false
    const quiet = await intakeLoad(ctx, engine, request).finally(() => { eventAnnouncement.enabled = true })
    const goal = goalOf(engine)
    // Latency at the goal's load: requests sent on a fixed schedule, as residents' phones do, not as fast as answers return.
    const atGoal = engine === 'postgres' ? await onFreshApp(ctx, engine, request, (url) => paced(url, goal)) : undefined
    const scenario = `POST /api/reports (JSON, ${connections} conn)`
    rows.push(
      { scenario, engine, metric: 'reports/s', value: Math.round(intake.rps), unit: 'req/s', baseline: 'bare Fastify POST', baselineValue: Math.round(bareLoad.rps), ratio: ratio(intake.rps, bareLoad.rps), goal: `≥ ${goal}/s`, met: intake.rps >= goal && intake.non2xx === 0 && intake.errors === 0 },
      { scenario, engine, metric: 'reports/s vs raw INSERT', value: Math.round(intake.rps), unit: 'req/s', baseline: `raw INSERT, ${connections} at a time`, baselineValue: Math.round(raw), ratio: ratio(intake.rps, raw) },
      ...(atGoal && barePaced ? [{
        scenario, engine, metric: `p99 at ${goal}/s offered`, value: atGoal.p99, unit: 'ms', baseline: `bare Fastify POST at ${goal}/s`, baselineValue: barePaced.p99,
        goal: '≤ 50 ms', met: atGoal.p99 <= 50 && atGoal.completed === atGoal.sent && atGoal.non2xx === 0 && atGoal.errors === 0,
      }] : []),
      { scenario, engine, metric: 'p99 at saturation', value: intake.p99, unit: 'ms', baseline: 'bare Fastify POST', baselineValue: bareLoad.p99 },
      { scenario, engine, metric: 'reports/s, announcing off (diagnostic)', value: Math.round(quiet.rps), unit: 'req/s', baseline: 'with announcing (above)', baselineValue: Math.round(intake.rps), ratio: ratio(quiet.rps, intake.rps) },
      { scenario, engine, metric: 'p99, announcing off (diagnostic)', value: quiet.p99, unit: 'ms', baseline: 'with announcing (above)', baselineValue: intake.p99 },
    )
  }
  return rows
}
