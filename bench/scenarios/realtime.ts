import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import pg from 'pg'
import WebSocket from 'ws'
import { flaggingOnNotify } from '../../server/src/modules/moderation/routes.js'
import { eventAnnouncement } from '../../server/src/modules/realtime/events.js'
import { load, ratio, startBenchApp, type BenchContext, type BenchRow, type Engine } from '../harness.js'

/**
 * Live fan-out. The server runs in its own process (bench/realtime-server.ts), the sockets in this one; the clock
 * is this process's, from just before the officer's POST to each socket's receipt of the event. The baseline is a
 * bare `ws` server process broadcasting the very bytes the app sent, triggered by an HTTP POST, in the same run.
 * Also: server memory with 10,000 idle subscribed sockets, delivery from instance A to sockets on instance B
 * (PostgreSQL), and intake throughput with and without the event announcement (sequencer round + NOTIFY).
 */

interface Server { url: string; pid: number; officer?: { email: string; password: string }; zoneId?: number; stop(): Promise<void> }

async function startServer(mode: 'app' | 'bare', env: Record<string, string> = {}): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/realtime-server.ts', mode], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  })
  const info = JSON.parse(line) as Omit<Server, 'pid' | 'stop'>
  return {
    ...info,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024)
}

/** One round's bookkeeping, shared by every socket's message handler. */
interface Round { start: number; latencies: number[]; expected: number; done: () => void }

class Sockets {
  readonly list: WebSocket[] = []
  round: Round | null = null
  /** The last event frame as received, to replay through the bare baseline. */
  sample: Buffer | null = null

  /** Opens `n` sockets, `parallel` at a time; each sends `subscribe` (if given) and waits for its answer. */
  async open(url: string, n: number, subscribe?: object): Promise<void> {
    const wsUrl = url.replace(/^http/, 'ws')
    const parallel = 200
    let next = 0
    const one = () => new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { perMessageDeflate: false, skipUTF8Validation: true })
      let ready = false
      ws.on('message', (data: Buffer) => {
        if (!ready) {
          // welcome, then subscribed (app) — or nothing to wait for (bare)
          if (data.includes('"subscribed"') || !subscribe) {
            ready = true
            resolve()
          }
          return
        }
        const round = this.round
        if (!round || !(data.includes('"eventType"') || data.includes('"bench"'))) return
        round.latencies.push(performance.now() - round.start)
        this.sample ??= Buffer.from(data)
        if (round.latencies.length === round.expected) round.done()
      })
      ws.once('open', () => {
        this.list.push(ws)
        if (subscribe) ws.send(JSON.stringify(subscribe))
        else {
          ready = true
          resolve()
        }
      })
      ws.once('error', reject)
    })
    await Promise.all(Array.from({ length: parallel }, async () => {
      while (next < n) {
        next++
        await one()
      }
    }))
  }

  /** Triggers one broadcast and waits until every socket has it (or 30 s: then what arrived counts). */
  async measure(trigger: () => Promise<unknown>): Promise<number[]> {
    const latencies: number[] = []
    const all = new Promise<void>((resolve) => {
      this.round = { start: performance.now(), latencies, expected: this.list.length, done: resolve }
    })
    await trigger()
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 30_000))])
    this.round = null
    return latencies
  }

  async close(): Promise<void> {
    await Promise.all(this.list.map((ws) => new Promise<void>((resolve) => {
      if (ws.readyState === ws.CLOSED) return resolve()
      ws.once('close', () => resolve())
      ws.terminate()
    })))
    this.list.length = 0
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10
}

async function officerSession(server: Server): Promise<Record<string, string>> {
  const res = await fetch(`${server.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(server.officer) })
  if (!res.ok) throw new Error(`bench login failed: ${res.status}`)
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('nabij_session='))!
  const { csrfToken } = (await res.json()) as { csrfToken: string }
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }
}

/** The officer publishes a neighbourhood post: the zone's public channel carries it to every subscriber. */
function postTrigger(server: Server, headers: Record<string, string>, at: Server = server) {
  let n = 0
  return async () => {
    const res = await fetch(`${at.url}/api/staff/zones/${server.zoneId}/posts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: `Patrol report ${++n}`, body: 'This week we walked the square every evening; it was calm.', language: 'en' }),
    })
    if (res.status !== 201) throw new Error(`post failed: ${res.status}`)
  }
}

async function freshPostgres(ctx: BenchContext): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `nabij_bench_live_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: ctx.postgresUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const u = new URL(ctx.postgresUrl!)
  u.pathname = `/${name}`
  return {
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: ctx.postgresUrl })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function rounds(sockets: Sockets, count: number, trigger: () => Promise<unknown>): Promise<{ all: number[]; lastPerRound: number[]; missing: number }> {
  const all: number[] = []
  const lastPerRound: number[] = []
  let missing = 0
  for (let i = 0; i < count; i++) {
    const latencies = await sockets.measure(trigger)
    all.push(...latencies)
    lastPerRound.push(Math.max(...latencies))
    missing += sockets.list.length - latencies.length
    await pause(100)
  }
  return { all, lastPerRound, missing }
}

async function fanOut(ctx: BenchContext, engine: Engine, sizes: number[], roundCount: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const pgdb = engine === 'postgres' ? await freshPostgres(ctx) : null
  const app = await startServer('app', { BENCH_SEED: '1', ...(pgdb ? { BENCH_DATABASE: pgdb.url } : {}) })
  const bare = await startServer('bare')
  try {
    const headers = await officerSession(app)
    const subscribe = { type: 'subscribe', channel: 'zone', id: app.zoneId }
    const trigger = postTrigger(app, headers)
    for (const n of sizes) {
      // One side at a time: this process keeps under its open-file limit, and neither server shares the machine.
      const appSockets = new Sockets()
      const appBefore = rssMb(app.pid)
      await appSockets.open(`${app.url}/api/live`, n, subscribe)
      await pause(1000)
      const appIdle = rssMb(app.pid)
      await rounds(appSockets, 1, trigger) // warm-up: JIT, first query plans; not counted
      const live = await rounds(appSockets, roundCount, trigger)
      const sample = appSockets.sample!
      await appSockets.close()

      const bareSockets = new Sockets()
      const bareBefore = rssMb(bare.pid)
      await bareSockets.open(bare.url, n)
      await pause(1000)
      const bareIdle = rssMb(bare.pid)
      const bareTrigger = () => fetch(`${bare.url}/broadcast`, { method: 'POST', body: sample })
      await rounds(bareSockets, 1, bareTrigger)
      const base = await rounds(bareSockets, roundCount, bareTrigger)
      await bareSockets.close()

      const scenario = `officer post → ${n.toLocaleString('en')} zone sockets`
      const p95 = percentile(live.all, 95)
      const baseP95 = percentile(base.all, 95)
      rows.push(
        { scenario, engine, metric: 'receipt p50', value: percentile(live.all, 50), unit: 'ms', baseline: 'bare ws broadcast', baselineValue: percentile(base.all, 50) },
        { scenario, engine, metric: 'receipt p95', value: p95, unit: 'ms', baseline: 'bare ws broadcast', baselineValue: baseP95, ratio: ratio(p95, baseP95), ...(n >= 10_000 ? { goal: '≤ 250 ms and ≤ 2× bare', met: p95 <= 250 && p95 <= 2 * baseP95 } : {}) },
        { scenario, engine, metric: 'receipt p99', value: percentile(live.all, 99), unit: 'ms', baseline: 'bare ws broadcast', baselineValue: percentile(base.all, 99) },
        { scenario, engine, metric: 'all reached (median round)', value: percentile(live.lastPerRound, 50), unit: 'ms', baseline: 'bare ws broadcast', baselineValue: percentile(base.lastPerRound, 50) },
      )
      if (live.missing + base.missing > 0) rows.push({ scenario, engine, metric: 'receipts missing', value: live.missing, unit: 'msgs', baseline: 'bare ws', baselineValue: base.missing, goal: '0', met: live.missing === 0 })
      if (n >= 10_000) {
        const idle = `${n.toLocaleString('en')} idle subscribed sockets`
        // The sockets' own cost is the growth; the whole process (with PGlite's memory in embedded mode) is beside it.
        rows.push(
          { scenario: idle, engine, metric: 'RSS growth for the sockets', value: appIdle - appBefore, unit: 'MB', baseline: 'bare ws server, same sockets', baselineValue: bareIdle - bareBefore, ratio: ratio(appIdle - appBefore, bareIdle - bareBefore), goal: '≤ 400 MB', met: appIdle - appBefore <= 400 },
          { scenario: idle, engine, metric: 'server RSS (whole process)', value: appIdle, unit: 'MB', baseline: 'bare ws server', baselineValue: bareIdle },
        )
      }
    }
  } finally {
    await app.stop()
    await bare.stop()
    await pgdb?.drop()
  }
  return rows
}

/** Instance A takes the officer's POST; the sockets are on instance B; beside it, the same sockets on A. */
async function crossInstance(ctx: BenchContext, sockets: number, roundCount: number): Promise<BenchRow[]> {
  const pgdb = await freshPostgres(ctx)
  const a = await startServer('app', { BENCH_SEED: '1', BENCH_DATABASE: pgdb.url })
  const b = await startServer('app', { BENCH_DATABASE: pgdb.url })
  try {
    const headers = await officerSession(a)
    const subscribe = { type: 'subscribe', channel: 'zone', id: a.zoneId }
    const trigger = postTrigger(a, headers)
    const onB = new Sockets()
    await onB.open(`${b.url}/api/live`, sockets, subscribe)
    await rounds(onB, 1, trigger)
    const remote = await rounds(onB, roundCount, trigger)
    await onB.close()
    const onA = new Sockets()
    await onA.open(`${a.url}/api/live`, sockets, subscribe)
    await rounds(onA, 1, trigger)
    const local = await rounds(onA, roundCount, trigger)
    await onA.close()
    const scenario = `officer post on A → ${sockets.toLocaleString('en')} sockets on B`
    const p99 = percentile(remote.all, 99)
    return [
      { scenario, engine: 'postgres', metric: 'receipt p50', value: percentile(remote.all, 50), unit: 'ms', baseline: 'same sockets on A', baselineValue: percentile(local.all, 50) },
      { scenario, engine: 'postgres', metric: 'receipt p99', value: p99, unit: 'ms', baseline: 'same sockets on A', baselineValue: percentile(local.all, 99), ratio: ratio(p99, percentile(local.all, 99)), goal: '≤ 250 ms', met: p99 <= 250 && remote.missing === 0 },
    ]
  } finally {
    await a.stop()
    await b.stop()
    await pgdb.drop()
  }
}

const intakeBody = JSON.stringify({ category: 'nuisance', description: 'Loud music from the empty shop every night after midnight.', location: { lat: 50.83, lon: 4.37 }, anonymous: true, language: 'nl' })

/** Intake with the announcement against intake without it, alternated (on, off, three times) to spread the noise. */
async function intakeNotify(ctx: BenchContext, engine: Engine, seconds: number): Promise<BenchRow[]> {
  const app = await startBenchApp(ctx, engine)
  const request = { url: `${app.url}/api/reports`, method: 'POST' as const, body: intakeBody, headers: { 'content-type': 'application/json' }, connections: 32, workers: 1 }
  const rps = { on: [] as number[], off: [] as number[] }
  try {
    await load({ ...request, duration: 1 })
    // Flagging, which each announcement would start, waits for its sweep in both halves: the ratio is what numbering
    // and announcing events cost intake (the intake bench measures everything together).
    flaggingOnNotify.enabled = false
    for (const enabled of [true, false, true, false, true, false]) {
      eventAnnouncement.enabled = enabled
      const result = await load({ ...request, duration: seconds })
      if (result.errors || result.non2xx) console.error(`realtime intake ${engine}: ${result.errors} errors, ${result.non2xx} non-2xx`)
      rps[enabled ? 'on' : 'off'].push(result.rps)
    }
  } finally {
    eventAnnouncement.enabled = true
    flaggingOnNotify.enabled = true
    await app.close()
  }
  // Three alternations, the median of each side: one noisy run on this shared machine cannot swing the ratio.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const on = median(rps.on)
  const off = median(rps.off)
  return [{
    scenario: 'POST /api/reports with event NOTIFY', engine, metric: 'reports/s', value: Math.round(on), unit: 'req/s', baseline: 'announcing off (no numbering, no NOTIFY); flagging on its sweep in both', baselineValue: Math.round(off),
    ratio: ratio(on, off), goal: '≥ 90 % of without', met: on >= 0.9 * off,
  }]
}

export default async function realtimeBench(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const roundCount = ctx.quick ? 5 : 20
  for (const engine of ctx.engines) rows.push(...(await fanOut(ctx, engine, [1_000, 10_000], roundCount)))
  if (ctx.engines.includes('postgres')) rows.push(...(await crossInstance(ctx, 1_000, roundCount)))
  for (const engine of ctx.engines) rows.push(...(await intakeNotify(ctx, engine, ctx.quick ? 2 : 5)))
  return rows
}
