import http from 'node:http'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import WebSocket from 'ws'
import { testConfig } from '../../server/src/config.js'
import { connect, type Db } from '../../server/src/db/connect.js'
import { migrate } from '../../server/src/db/migrate.js'
import { zoneOfficers, zones } from '../../server/src/db/schema.js'
import { brusselsDate } from '../../server/src/modules/staff/access.js'
import { createStaff } from '../../server/src/modules/staff/service.js'
import { ServerProcess } from '../../test/server/faults/server-process.js'
import type { BenchContext, BenchRow, Engine } from '../harness.js'

/**
 * Residents filing and following reports while officers answer them, against real server processes: each resident
 * files a report on one instance, opens its receipt session there, follows it live over a websocket on the other
 * instance and reloads the follow-up now and then; officers post updates through either instance. Counted: every
 * error (a non-2xx answer, a failed request, an error frame, a socket that closed by itself) and every update an
 * officer posted that did not reach its resident's socket exactly once. Both goals are 0. Also used, shorter, by
 * test/server/faults/load.test.ts.
 */

export interface LoadTarget {
  urls: string[]
  officers: { email: string; password: string }[]
  at: { lat: number; lon: number }
}

export interface LoadOptions {
  residents: number
  durationMs: number
  /** After the officers stop: how long updates still on their way may take to arrive. */
  drainMs?: number
  officerPauseMs?: number
  followEveryMs?: number
}

export interface LoadOutcome {
  residents: number
  subscribed: number
  reportsFiled: number
  updatesPosted: number
  delivered: number
  lostUpdates: number
  duplicates: number
  outOfOrder: number
  errors: number
  errorSamples: string[]
  requests: number
  seconds: number
  deliveryP50Ms: number
  deliveryP99Ms: number
}

interface Answer { status: number; body: string }

/** One HTTP request from a given loopback address (each resident has its own, as each has its own IP in life). */
function request(agent: http.Agent, url: string, method: string, body?: object, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
    const req = http.request(url, {
      method,
      agent,
      headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}) },
      timeout: 30_000,
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('request timed out after 30 s')))
    req.on('error', reject)
    req.end(data)
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10
}

interface Posted { resident: Resident; at: number; status: 'pending' | 'posted' | 'failed' }

class Resident {
  readonly agent: http.Agent
  reference = ''
  token = ''
  socket: WebSocket | null = null
  subscribed = false
  lastEventId: number | undefined
  readonly received = new Set<number>()
  stopping = false

  constructor(readonly index: number, readonly address: string) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 2, localAddress: address })
  }
}

/** Runs the scenario; never throws for what the server does wrong, it counts it. */
export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadOutcome> {
  const { urls } = target
  const started = performance.now()
  const end = started + options.durationMs
  const rampMs = Math.min(options.durationMs / 4, 10_000)
  const errorSamples: string[] = []
  let errors = 0
  let requests = 0
  let duplicates = 0
  let outOfOrder = 0
  let filed = 0
  const latencies: number[] = []
  const posted = new Map<number, Posted>()
  const residents = Array.from({ length: options.residents }, (_, i) => new Resident(i, `127.0.${1 + Math.floor(i / 250)}.${2 + (i % 250)}`))
  const fail = (what: string) => {
    errors++
    if (errorSamples.length < 20) errorSamples.push(what)
  }
  const call = async (agent: http.Agent, url: string, method: string, body?: object, headers?: Record<string, string>): Promise<Answer | null> => {
    requests++
    try {
      const answer = await request(agent, url, method, body, headers)
      if (answer.status >= 300) fail(`${method} ${new URL(url).pathname.replace(/NB-[\d-]+/, ':ref')} → ${answer.status} ${answer.body.slice(0, 120)}`)
      return answer
    } catch (err) {
      fail(`${method} ${new URL(url).pathname} → ${(err as Error).message}`)
      return null
    }
  }

  function openSocket(resident: Resident, base: string): Promise<void> {
    return new Promise((resolve) => {
      const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/live?token=${encodeURIComponent(resident.token)}`, { localAddress: resident.address, perMessageDeflate: false })
      resident.socket = socket
      let settled = false
      const settle = () => {
        if (!settled) resolve()
        settled = true
      }
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'subscribe', channel: 'report', ...(resident.lastEventId !== undefined ? { lastEventId: resident.lastEventId } : {}) }))
      })
      socket.on('message', (raw: Buffer) => {
        const message = JSON.parse(raw.toString()) as { type: string; id?: number; eventType?: string; data?: { update?: { text?: string } }; code?: string; lastEventId?: number }
        if (message.type === 'subscribed') {
          resident.subscribed = true
          resident.lastEventId ??= message.lastEventId
          settle()
        } else if (message.type === 'event') {
          if (resident.lastEventId !== undefined && message.id! <= resident.lastEventId) outOfOrder++
          resident.lastEventId = Math.max(resident.lastEventId ?? 0, message.id!)
          const seq = /^load update (\d+)$/.exec(message.data?.update?.text ?? '')?.[1]
          if (message.eventType !== 'report.update_posted' || !seq) return
          const n = Number(seq)
          if (resident.received.has(n)) duplicates++
          resident.received.add(n)
          const entry = posted.get(n)
          if (entry) latencies.push(performance.now() - entry.at)
        } else if (message.type === 'error' || message.type === 'resync') {
          fail(`websocket ${message.type} ${message.code ?? ''}`)
          settle()
        }
      })
      socket.on('error', (err) => {
        fail(`websocket error: ${err.message}`)
        settle()
      })
      socket.on('close', (code) => {
        settle()
        if (resident.stopping) return
        // Not ours to close: an error, and the client resumes from its last event id as the web app does.
        fail(`websocket closed by the server (${code})`)
        resident.subscribed = false
        if (performance.now() < end + (options.drainMs ?? 10_000)) setTimeout(() => void openSocket(resident, base), 100)
      })
    })
  }

  async function live(resident: Resident): Promise<void> {
    await sleep((resident.index / options.residents) * rampMs)
    const home = urls[resident.index % urls.length]!
    const away = urls[(resident.index + 1) % urls.length]!
    const report = await call(resident.agent, `${home}/api/reports`, 'POST', {
      category: 'nuisance',
      description: `Loud music from the empty shop every night, resident ${resident.index}`,
      location: { lat: target.at.lat + ((resident.index % 10) - 5) * 0.0003, lon: target.at.lon + (Math.floor(resident.index / 10) % 10 - 5) * 0.0003 },
      anonymous: true,
      language: 'nl',
    })
    if (report?.status !== 201) return
    filed++
    const { reference, receiptCode } = JSON.parse(report.body) as { reference: string; receiptCode: string }
    resident.reference = reference
    const session = await call(resident.agent, `${home}/api/receipt/session`, 'POST', { code: receiptCode })
    if (session?.status !== 200) return
    resident.token = (JSON.parse(session.body) as { token: string }).token
    await openSocket(resident, away)
    while (performance.now() < end) {
      await sleep((options.followEveryMs ?? 3_000) * (0.5 + Math.random()))
      if (performance.now() >= end) break
      await call(resident.agent, `${urls[Math.floor(Math.random() * urls.length)]}/api/followup`, 'GET', undefined, { authorization: `Bearer ${resident.token}` })
    }
  }

  let seq = 0
  async function officer(account: { email: string; password: string }, index: number): Promise<void> {
    const agent = new http.Agent({ keepAlive: true, localAddress: `127.0.9.${1 + index}` })
    requests++
    const login = await staffLogin(agent, urls[0]!, account).catch((err: Error) => {
      fail(`officer login → ${err.message}`)
      return null
    })
    if (!login) return
    while (performance.now() < end) {
      const ready = residents.filter((r) => r.subscribed)
      if (ready.length === 0) {
        await sleep(50)
        continue
      }
      const resident = ready[Math.floor(Math.random() * ready.length)]!
      const n = ++seq
      const entry: Posted = { resident, at: performance.now(), status: 'pending' }
      posted.set(n, entry)
      const answer = await call(agent, `${urls[Math.floor(Math.random() * urls.length)]}/api/staff/reports/${resident.reference}/updates`, 'POST', { text: `load update ${n}`, language: 'nl', visibility: 'reporter' }, login)
      entry.status = answer?.status === 201 ? 'posted' : 'failed'
      await sleep(options.officerPauseMs ?? 100)
    }
    agent.destroy()
  }

  await Promise.all([...residents.map(live), ...target.officers.map(officer)])

  // Drain: updates in flight get a bounded time to arrive.
  const expected = () => [...posted.entries()].filter(([, p]) => p.status === 'posted')
  const drainUntil = performance.now() + (options.drainMs ?? 10_000)
  while (performance.now() < drainUntil && expected().some(([n, p]) => !p.resident.received.has(n))) await sleep(100)
  const lost = expected().filter(([n, p]) => !p.resident.received.has(n)).length
  for (const r of residents) {
    r.stopping = true
    r.socket?.terminate()
    r.agent.destroy()
  }
  return {
    residents: options.residents,
    subscribed: residents.filter((r) => r.lastEventId !== undefined).length,
    reportsFiled: filed,
    updatesPosted: expected().length,
    delivered: residents.reduce((sum, r) => sum + r.received.size, 0),
    lostUpdates: lost,
    duplicates,
    outOfOrder,
    errors,
    errorSamples,
    requests,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    deliveryP50Ms: percentile(latencies, 50),
    deliveryP99Ms: percentile(latencies, 99),
  }
}

/** Logs an officer in; the session (in the database) is valid on every instance. Returns the headers for writes. */
function staffLogin(agent: http.Agent, base: string, account: { email: string; password: string }): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(account))
    const req = http.request(`${base}/api/staff/session`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(data.length) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const cookie = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('nabij_session='))
        if (res.statusCode !== 200 || !cookie) return reject(new Error(`${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 120)}`))
        resolve({ cookie, 'x-csrf-token': (JSON.parse(Buffer.concat(chunks).toString()) as { csrfToken: string }).csrfToken })
      })
    })
    req.on('error', reject)
    req.end(data)
  })
}

/** A zone around `at` with `count` officers assigned, written straight to the database. */
export async function seedLoadZone(db: Db, count: number): Promise<Omit<LoadTarget, 'urls'>> {
  const at = { lat: 50.8275, lon: 4.3721 }
  const r = 0.01
  const [zone] = await db.insert(zones).values({
    externalId: `load-${Date.now()}`,
    name: 'Load test zone',
    geometry: { type: 'Polygon', coordinates: [[[at.lon - r, at.lat - r], [at.lon + r, at.lat - r], [at.lon + r, at.lat + r], [at.lon - r, at.lat + r], [at.lon - r, at.lat - r]]] },
    promisedResponseHours: 72,
  }).returning()
  const officers = []
  for (let i = 0; i < count; i++) {
    const account = { email: `load-officer-${i}-${Date.now()}@nabij.test`, password: `load officer password ${i} correct horse` }
    const staff = await createStaff(db, { ...account, displayName: `Officer ${i}`, role: 'officer', language: 'nl', totpSecret: null })
    await db.insert(zoneOfficers).values({ zoneId: zone!.id, staffId: staff.id, primary: i === 0, startsOn: brusselsDate() })
    officers.push(account)
  }
  return { at, officers }
}

// --------------------------------------------------------------------------------------------------- the bench

const secrets = testConfig()

async function onPostgres(ctx: BenchContext, options: LoadOptions): Promise<LoadOutcome> {
  const name = `nabij_load_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: ctx.postgresUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(ctx.postgresUrl!)
  url.pathname = `/${name}`
  const dir = mkdtempSync(join(tmpdir(), 'nabij-load-'))
  const servers: ServerProcess[] = []
  try {
    const env = (i: number) => ({ DATABASE_URL: url.toString(), SESSION_SECRET: secrets.sessionSecret, RECEIPT_PEPPER: secrets.receiptPepper, NABIJ_DATA_DIR: join(dir, `instance-${i}`), PHOTO_DIR: join(dir, 'photos') })
    // One after the other: the first applies the migrations.
    servers.push(await ServerProcess.start(env(0)))
    servers.push(await ServerProcess.start(env(1)))
    const database = await connect({ databaseUrl: url.toString(), poolSize: 2 })
    const seeded = await seedLoadZone(database.db, 4)
    await database.close()
    return await runLoad({ urls: servers.map((s) => s.url), ...seeded }, options)
  } finally {
    for (const server of servers) await server.stop()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Embedded PGlite lives inside one process: one instance, as on a laptop, its data dir seeded before it starts. */
async function onPglite(options: LoadOptions): Promise<LoadOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'nabij-load-'))
  let server: ServerProcess | null = null
  try {
    mkdirSync(dir, { recursive: true })
    const database = await connect({ dataDir: dir })
    await migrate(database)
    const seeded = await seedLoadZone(database.db, 4)
    await database.close()
    server = await ServerProcess.start({ NABIJ_DATA_DIR: dir, SESSION_SECRET: secrets.sessionSecret, RECEIPT_PEPPER: secrets.receiptPepper })
    return await runLoad({ urls: [server.url], ...seeded }, options)
  } finally {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

export default async function load(ctx: BenchContext): Promise<BenchRow[]> {
  const options: LoadOptions = ctx.quick ? { residents: 20, durationMs: 5_000 } : { residents: 200, durationMs: 60_000 }
  const rows: BenchRow[] = []
  for (const engine of ctx.engines) {
    const outcome = engine === 'postgres' ? await onPostgres(ctx, options) : await onPglite(options)
    if (outcome.errorSamples.length) console.error(`load (${engine}) errors:\n  ${outcome.errorSamples.join('\n  ')}`)
    rows.push(...rowsOf(engine, outcome, engine === 'postgres' ? 2 : 1, options))
  }
  return rows
}

function rowsOf(engine: Engine, o: LoadOutcome, instances: number, options: LoadOptions): BenchRow[] {
  const scenario = `load (${instances} instance${instances > 1 ? 's' : ''})`
  const row = (metric: string, value: number, unit: string, goal?: string, met?: boolean): BenchRow => ({ scenario, engine, metric, value, unit, ...(goal ? { goal, met } : {}) })
  return [
    row(`residents filing and following for ${options.durationMs / 1000} s`, o.residents, 'residents'),
    row('reports filed', o.reportsFiled, 'reports', `${o.residents}`, o.reportsFiled === o.residents),
    row('updates posted by officers', o.updatesPosted, 'updates'),
    row('errors (non-2xx, failed requests, error frames, dropped sockets)', o.errors, 'errors', '0', o.errors === 0),
    row('lost updates (posted, never reached the resident)', o.lostUpdates, 'updates', '0', o.lostUpdates === 0),
    row('duplicate or out-of-order deliveries', o.duplicates + o.outOfOrder, 'events', '0', o.duplicates + o.outOfOrder === 0),
    row('update delivery p50 (POST start → resident socket)', o.deliveryP50Ms, 'ms'),
    row('update delivery p99', o.deliveryP99Ms, 'ms'),
    row('HTTP requests served', Math.round(o.requests / o.seconds), 'req/s'),
  ]
}
