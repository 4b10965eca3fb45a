import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EventMessage } from '../../../shared/src/api/live.js'
import { buildApp } from '../../../server/src/app.js'
import { liveHubOf } from '../../../server/src/modules/realtime/routes.js'
import { issueResidentToken } from '../../../server/src/modules/reports/resident-token.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { engine } from '../helpers/database.js'
import { aStaff, aZone } from '../helpers/factories.js'
import { aSpot } from '../workflow/fixtures.js'
import { LiveTestClient } from './live-client.js'

/**
 * Two instances on one database. On PostgreSQL they are two real server processes (`node --import tsx
 * server/src/main.ts`); PGlite lives inside one process, so there they are two apps on the same embedded database.
 */
let t: TestApp
let instanceA: string
let instanceB: string
const stops: (() => Promise<void>)[] = []
const clients: LiveTestClient[] = []

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function spawnInstance(databaseUrl: string): Promise<string> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'nabij-instance-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: t.config.sessionSecret,
      RECEIPT_PEPPER: t.config.receiptPepper,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: t.config.publicUrl,
      NABIJ_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => { stderr += chunk })
  const url = `http://127.0.0.1:${port}`
  stops.push(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  })
  // Ready when /readyz answers; bounded, and the process's own words if it never does.
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${stderr}`)
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false)
    if (ok) return url
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`instance not ready: ${stderr}`)
}

async function listenInProcess(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' })
}

beforeAll(async () => {
  t = await startApp()
  if (engine === 'postgres') {
    ;[instanceA, instanceB] = await Promise.all([spawnInstance(t.database.url!), spawnInstance(t.database.url!)])
  } else {
    const second = await buildApp(t.config, t.database)
    stops.push(() => second.close())
    instanceA = await listenInProcess(t.app)
    instanceB = await listenInProcess(second)
  }
}, 120_000)
afterAll(async () => {
  for (const c of clients) c.kill()
  for (const stop of stops) await stop()
  await t.close()
})

interface Officer { headers: Record<string, string> }

/** A zone, its officer logged in on instance A, and a report filed on instance A with its resident token. */
async function scene(): Promise<{ officer: Officer; reference: string; token: string }> {
  const at = aSpot()
  const zone = await aZone(t.db, { around: at })
  const staff = await aStaff(t.db, { role: 'officer', zoneId: zone.id })
  const login = await fetch(`${instanceA}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: staff.email, password: staff.password }) })
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('nabij_session='))!
  const { csrfToken } = (await login.json()) as { csrfToken: string }
  const filed = await fetch(`${instanceA}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'vandalism', description: 'Graffiti on the school wall again', location: at, anonymous: true, language: 'en' }),
  })
  const { reference } = (await filed.json()) as { reference: string }
  const [row] = (await t.db.execute(sql`select id from reports where reference = ${reference}`) as unknown as { rows: { id: number | string }[] }).rows
  return { officer: { headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } }, reference, token: issueResidentToken(t.config, Number(row!.id)).token }
}

async function postUpdate(officer: Officer, reference: string, text: string): Promise<void> {
  const res = await fetch(`${instanceA}/api/staff/reports/${reference}/updates`, { method: 'POST', headers: officer.headers, body: JSON.stringify({ text, language: 'en', visibility: 'reporter' }) })
  expect(res.status).toBe(201)
}

async function resident(base: string, token: string): Promise<LiveTestClient> {
  const client = await LiveTestClient.open(base, { query: `token=${encodeURIComponent(token)}` })
  clients.push(client)
  return client
}

const text = (e: EventMessage) => (e.data.update as { text: string }).text
const updateEvents = (client: LiveTestClient) => client.events().filter((e) => e.eventType === 'report.update_posted')

describe('two instances on one database', () => {
  it('delivers an update posted on instance A to a resident connected to instance B', async () => {
    const { officer, reference, token } = await scene()
    const onB = await resident(instanceB, token)
    await onB.subscribe('report')

    await postUpdate(officer, reference, 'We cleaned the wall this morning.')

    const event = await onB.eventOf('report.update_posted')
    expect(text(event)).toBe('We cleaned the wall this morning.')
    expect(event.reference).toBe(reference)
  })

  it('lets a resident cut off from B resume on A with nothing lost and nothing twice', async () => {
    const { officer, reference, token } = await scene()
    const first = await resident(instanceB, token)
    const subscribed = (await first.subscribe('report')) as { lastEventId: number }
    await postUpdate(officer, reference, 'one')
    await first.eventOf('report.update_posted', (e) => text(e) === 'one')

    first.kill()
    await first.whenClosed()
    await postUpdate(officer, reference, 'two')
    await postUpdate(officer, reference, 'three')
    const cursor = Math.max(subscribed.lastEventId, ...first.events().map((e) => e.id))
    const second = await resident(instanceA, token)
    await second.subscribe('report', undefined, cursor)
    await postUpdate(officer, reference, 'four')
    await second.eventOf('report.update_posted', (e) => text(e) === 'four')
    await second.sync()

    expect(updateEvents(first).map(text)).toEqual(['one'])
    expect(updateEvents(second).map(text)).toEqual(['two', 'three', 'four'])
    const ids = [...first.events(), ...second.events()].map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  if (engine === 'postgres') {
    it('re-opens a killed LISTEN connection by itself and catches up on what happened meanwhile', async () => {
      const { officer, reference, token } = await scene()
      const onB = await resident(instanceB, token)
      await onB.subscribe('report')
      const listeners = async () => Number((await t.db.execute(sql`select count(*) as n from pg_stat_activity where application_name = 'nabij-listen' and datname = current_database()`) as unknown as { rows: { n: string }[] }).rows[0]!.n)
      const before = await listeners()
      // One per instance at least (the test's own app, A and B); other modules may listen on their own channels.
      expect(before).toBeGreaterThanOrEqual(3)

      await t.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'nabij-listen' and datname = current_database()`)
      await postUpdate(officer, reference, 'posted while nobody listened')

      expect(text(await onB.eventOf('report.update_posted'))).toBe('posted while nobody listened')
      // This process's own hub is observable: it counts its re-opened connections. The instances' hubs listen again too.
      await vi.waitFor(() => expect(liveHubOf(t.app).listenReconnects).toBeGreaterThan(0), { timeout: 20_000, interval: 100 })
      await vi.waitFor(async () => expect(await listeners()).toBeGreaterThanOrEqual(3), { timeout: 20_000, interval: 100 })
      await postUpdate(officer, reference, 'after the reconnect')
      expect(text(await onB.eventOf('report.update_posted', (e) => text(e) === 'after the reconnect'))).toBe('after the reconnect')
      expect(updateEvents(onB).map(text)).toEqual(['posted while nobody listened', 'after the reconnect'])
    })
  }
})
