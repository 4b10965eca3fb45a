import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EventMessage } from '../../../shared/src/api/live.js'
import { testConfig } from '../../../server/src/config.js'
import { connect, type Database } from '../../../server/src/db/connect.js'
import { aStaff, aZone } from '../helpers/factories.js'
import { LiveTestClient } from '../realtime/live-client.js'
import { PrivateCluster } from './private-postgres.js'
import { ServerProcess } from './server-process.js'

/**
 * PostgreSQL restarted under load, on a private throw-away cluster (the shared test server is never touched): the
 * server process stays up, says it is not ready while the database is gone, reconnects by itself, listens again, and
 * its websockets miss nothing. The cluster is its own, whichever engine the project tests on, so the test runs in
 * both projects alike.
 */
const secrets = testConfig()
const at = { lat: 50.8275, lon: 4.3721 }
let cluster: PrivateCluster
let server: ServerProcess
let database: Database
let dir: string
let officer: { cookie: string; 'x-csrf-token': string; 'content-type': string }
const clients: LiveTestClient[] = []
let stopLoad: (() => Promise<unknown>) | null = null

{
  beforeAll(async () => {
    cluster = await PrivateCluster.create()
    const admin = new pg.Client({ connectionString: cluster.url() })
    await admin.connect()
    await admin.query('create database nabij')
    await admin.end()
    dir = mkdtempSync(join(tmpdir(), 'nabij-restart-'))
    server = await ServerProcess.start({
      DATABASE_URL: cluster.url('nabij'),
      SESSION_SECRET: secrets.sessionSecret,
      RECEIPT_PEPPER: secrets.receiptPepper,
      NABIJ_DATA_DIR: dir,
      PUBLIC_URL: 'http://localhost:3000',
    })
    database = await connect({ databaseUrl: cluster.url('nabij'), poolSize: 2 })
    const zone = await aZone(database.db, { around: at })
    const staff = await aStaff(database.db, { role: 'officer', zoneId: zone.id })
    const login = await fetch(`${server.url}/api/staff/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: staff.email, password: staff.password }) })
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('nabij_session='))!
    officer = { cookie, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' }
  }, 180_000)
  afterAll(async () => {
    // A server that died mid-test shows why.
    if (server && !server.running) console.error(`server process exited:\n${server.output}`)
    await stopLoad?.()
    for (const client of clients) client.kill()
    await server?.stop()
    await database?.close()
    await cluster?.dispose()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  describe('PostgreSQL restarted under load', () => {
    it('turns /readyz red, reconnects by itself, listens again and lets websockets resume with nothing lost', async () => {
      const filed = await json(await fetch(`${server.url}/api/reports`, post({ category: 'vandalism', description: 'Graffiti on the school wall again', location: at, anonymous: true, language: 'en' })))
      const { token } = await json(await fetch(`${server.url}/api/receipt/session`, post({ code: filed.receiptCode })))
      const staying = await resident(token)
      const leaving = await resident(token)
      await postUpdate(filed.reference, 'before the restart')
      await staying.eventOf('report.update_posted', (e) => text(e) === 'before the restart')
      await leaving.eventOf('report.update_posted', (e) => text(e) === 'before the restart')
      const load = startLoad()
      stopLoad = load.stop

      await cluster.stop()
      load.markOutage()
      await vi.waitFor(async () => expect((await fetch(`${server.url}/readyz`)).status).toBe(503), { timeout: 30_000, interval: 100 })
      expect(await json(await fetch(`${server.url}/readyz`))).toEqual({ status: 'unavailable', database: 'postgres' })
      // An officer's update while the database is gone: refused as temporarily unavailable, nothing half-done.
      const refused = await fetch(`${server.url}/api/staff/reports/${filed.reference}/updates`, { method: 'POST', headers: officer, body: JSON.stringify({ text: 'lost in the outage', language: 'en', visibility: 'reporter' }) })
      expect(refused.status).toBe(503)
      expect((await json(refused)).code).toBe('SERVICE_UNAVAILABLE')
      const cursor = Math.max(...leaving.events().map((e) => e.id))
      leaving.kill()

      await cluster.start()
      await vi.waitFor(async () => expect((await fetch(`${server.url}/readyz`)).status).toBe(200), { timeout: 30_000, interval: 100 })
      load.markRecovered()
      // Posted at once: the instance may not be listening again yet, and must catch up when it is.
      await postUpdate(filed.reference, 'right after the restart')
      await vi.waitFor(async () => expect(await listeners()).toBeGreaterThanOrEqual(1), { timeout: 30_000, interval: 200 })
      await postUpdate(filed.reference, 'after listening again')

      await staying.eventOf('report.update_posted', (e) => text(e) === 'after listening again')
      const back = await resident(token, cursor)
      await back.eventOf('report.update_posted', (e) => text(e) === 'after listening again')
      await Promise.all([staying.sync(), back.sync()])
      const totals = await load.stop()

      expect(updates(staying)).toEqual(['before the restart', 'right after the restart', 'after listening again'])
      expect(updates(back)).toEqual(['right after the restart', 'after listening again'])
      expect(updates(leaving)).toEqual(['before the restart'])
      expect(server.running).toBe(true)
      // Under load: every answer was a success or a clean 503, none hung, none was a 500; and intake came back.
      expect(totals.statuses.filter((s) => s !== 201 && s !== 503)).toEqual([])
      expect(totals.during503).toBeGreaterThan(0)
      expect(totals.createdAfterRecovery).toBeGreaterThan(0)
      // Nothing that was refused was half-saved: every report has its filing event.
      const [row] = (await database.db.execute(sql`select count(*)::int as orphans from reports r
        where not exists (select 1 from events e where e.report_id = r.id and e.type = 'report.filed')`) as unknown as { rows: { orphans: number }[] }).rows
      expect(row!.orphans).toBe(0)
    }, 180_000)
  })
}

const post = (body: object): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json()
const text = (e: EventMessage) => (e.data.update as { text: string }).text
const updates = (client: LiveTestClient) => client.events().filter((e) => e.eventType === 'report.update_posted').map(text)

async function resident(token: string, lastEventId?: number): Promise<LiveTestClient> {
  const client = await LiveTestClient.open(server.url, { query: `token=${encodeURIComponent(token)}` })
  clients.push(client)
  const reply = await client.subscribe('report', undefined, lastEventId)
  expect(reply.type).toBe('subscribed')
  return client
}

async function postUpdate(reference: string, text: string): Promise<void> {
  const res = await fetch(`${server.url}/api/staff/reports/${reference}/updates`, { method: 'POST', headers: officer, body: JSON.stringify({ text, language: 'en', visibility: 'reporter' }) })
  expect(res.status, await res.clone().text()).toBe(201)
}

async function listeners(): Promise<number> {
  const result = await database.db.execute(sql`select count(*)::int as n from pg_stat_activity where application_name = 'nabij-listen' and datname = current_database()`)
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n
}

/** Eight residents filing reports back to back, each request bounded; counts what came back in each phase. */
function startLoad() {
  let phase: 'before' | 'outage' | 'after' = 'before'
  let stopped = false
  const statuses: number[] = []
  let during503 = 0
  let createdAfterRecovery = 0
  const loops = Array.from({ length: 8 }, async (_, i) => {
    for (let n = 0; !stopped && n < 10_000; n++) {
      let status = 0
      try {
        const res = await fetch(`${server.url}/api/reports`, {
          ...post({ category: 'nuisance', description: `Load report ${i}-${n} during the database restart`, location: at, anonymous: true, language: 'nl' }),
          signal: AbortSignal.timeout(30_000),
        })
        await res.arrayBuffer()
        status = res.status
      } catch {
        // 0: no answer at all (refused, reset or timed out)
      }
      statuses.push(status)
      if (status === 503 && phase === 'outage') during503++
      if (status === 201 && phase === 'after') createdAfterRecovery++
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })
  return {
    markOutage: () => { phase = 'outage' },
    markRecovered: () => { phase = 'after' },
    async stop() {
      stopped = true
      await Promise.all(loops)
      return { statuses, during503, createdAfterRecovery }
    },
  }
}
