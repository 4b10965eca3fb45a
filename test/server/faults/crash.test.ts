import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { connect, type Database } from '../../../server/src/db/connect.js'
import { receiptHash } from '../../../server/src/modules/reports/receipt.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { engine } from '../helpers/database.js'
import { filesUnder, fixture, multipart } from '../photos/fixtures.js'
import { ServerProcess } from './server-process.js'

/**
 * kill -9 of a server process in the middle of a burst of intakes with photos. On PostgreSQL the process uses this
 * file's database; on PGlite it runs the embedded mode, its database in its own data dir, as on a laptop.
 */
let t: TestApp
let dir: string
let env: Record<string, string>
const servers: ServerProcess[] = []

beforeAll(async () => {
  t = await startApp()
  dir = mkdtempSync(join(tmpdir(), 'nabij-crash-'))
  env = {
    NABIJ_DATA_DIR: dir,
    PHOTO_DIR: join(dir, 'photos'),
    SESSION_SECRET: t.config.sessionSecret,
    RECEIPT_PEPPER: t.config.receiptPepper,
    // The test stands in for the hour after the crash: every leftover is old enough to go.
    PHOTO_ORPHAN_GRACE_SECONDS: '0',
    LOG_LEVEL: 'info',
    ...(engine === 'postgres' ? { DATABASE_URL: t.database.url! } : {}),
  }
  // Embedded: start from the migrated template rather than have the server run initdb in WASM for half a minute.
  if (engine === 'pglite') await (await connect({ dataDir: dir, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) })).close()
}, 120_000)
afterAll(async () => {
  for (const server of servers) if (server.running) await server.crash()
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

const photoSets = [['gps_DSCN0010.jpg'], ['gps_DSCN0021.jpg', 'orientation_landscape_6.jpg'], ['orientation_portrait_8.jpg']]

interface Attempt { index: number; photos: number; acknowledged?: { reference: string; receiptCode: string; photoCount: number }; failure?: string }

/** One intake over real HTTP; its description says how many photos it carries, so the rows can be checked later. */
async function intake(url: string, index: number): Promise<Attempt> {
  const names = photoSets[index % photoSets.length]!
  const report = { category: 'vandalism', description: `Burst report ${index} with ${names.length} photos`, location: { lat: 50.8466, lon: 4.3528 }, anonymous: true }
  const { payload, headers } = multipart({ report: JSON.stringify(report) }, names.map((name) => ({ filename: name, type: 'image/jpeg', data: fixture(name) })))
  const attempt: Attempt = { index, photos: names.length }
  try {
    const res = await fetch(`${url}/api/reports`, { method: 'POST', headers, body: payload })
    if (res.status === 201) attempt.acknowledged = await res.json() as Attempt['acknowledged']
    else attempt.failure = `${res.status}`
  } catch (err) {
    attempt.failure = `${(err as Error).message}: ${String((err as Error).cause)}`
  }
  return attempt
}

/**
 * Fires up to `total` intakes, `parallel` at a time; once `killAfter` were acknowledged, `beforeKill` arranges the
 * moment (intakes keep coming meanwhile) and the server is killed with SIGKILL.
 */
async function burstAndKill(server: ServerProcess, total: number, parallel: number, killAfter: number, beforeKill: () => Promise<void>): Promise<Attempt[]> {
  const attempts: Attempt[] = []
  let next = 0
  let acknowledged = 0
  let dead = false
  let killing: Promise<void> | null = null
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < total && !dead) {
      const attempt = await intake(server.url, next++)
      attempts.push(attempt)
      if (attempt.acknowledged && ++acknowledged === killAfter) {
        killing = beforeKill().then(() => server.crash()).then(() => { dead = true })
      }
    }
  }))
  await killing
  return attempts
}

/**
 * PostgreSQL: the worst moment on purpose. A lock on `reports` holds the next intakes after their photo files are
 * written, inside their one INSERT statement; the kill lands while at least three wait there. Released after.
 */
async function holdIntakesInTheirTransaction(): Promise<{ arrange: () => Promise<void>; release: () => Promise<void> }> {
  const blocker = new pg.Client({ connectionString: t.database.url })
  // A second connection looks: inside the blocker's transaction pg_stat_activity would stay a snapshot.
  const watcher = new pg.Client({ connectionString: t.database.url })
  await Promise.all([blocker.connect(), watcher.connect()])
  const waiting = async () => (await watcher.query(`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and state = 'active' and wait_event_type = 'Lock' and query ~ 'insert into "?reports"? '`)).rows[0].n as number
  return {
    async arrange() {
      await blocker.query('begin')
      await blocker.query('lock table reports in exclusive mode')
      for (let i = 0; i < 600 && (await waiting()) < 3; i++) await new Promise((resolve) => setTimeout(resolve, 50))
      if ((await waiting()) < 3) throw new Error('no intake reached its transaction')
    },
    async release() {
      await blocker.query('rollback').catch(() => {})
      await Promise.all([blocker.end(), watcher.end()])
    },
  }
}

type Row = Record<string, unknown>
const rowsOf = async (database: Database, query: string): Promise<Row[]> =>
  ((await database.db.execute(sql.raw(query))) as unknown as { rows: Row[] }).rows

describe('kill -9 during a burst of intakes', () => {
  it('keeps every acknowledged report whole, saves no report by halves, and leaves no orphan photo file', async () => {
    const first = await ServerProcess.start(env)
    servers.push(first)

    const hold = engine === 'postgres' ? await holdIntakesInTheirTransaction() : null
    // PGlite lives inside the server process: nothing outside can hold its transactions, so the kill lands wherever.
    const attempts = await burstAndKill(first, 200, 8, 12, hold ? hold.arrange : async () => {})
    await hold?.release()

    const acknowledged = attempts.filter((a) => a.acknowledged)
    const cutOff = attempts.filter((a) => !a.acknowledged)
    expect(acknowledged.length).toBeGreaterThanOrEqual(12)
    // Requests in flight at the kill never got an answer (the socket died or was refused), none got an error status.
    expect(cutOff.every((a) => a.failure !== undefined && !/^\d+$/.test(a.failure))).toBe(true)
    const leftBehind = filesUnder(env.PHOTO_DIR!).length

    // Started again on the same database and photo dir, the server sweeps what the dead process left.
    const second = await ServerProcess.start(env)
    servers.push(second)
    const swept = JSON.parse(await second.waitForLine(/photo sweep finished/)) as { checked: number; removed: number }
    expect(swept.removed).toBeLessThanOrEqual(leftBehind)

    // A reporter whose answer got out follows the report through the restarted server, photos and all.
    const sample = acknowledged[acknowledged.length - 1]!.acknowledged!
    const session = await fetch(`${second.url}/api/receipt/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: sample.receiptCode }) })
    expect(session.status).toBe(200)
    const { token } = await session.json() as { token: string }
    const view = await fetch(`${second.url}/api/followup`, { headers: { authorization: `Bearer ${token}` } })
    expect(view.status).toBe(200)
    const { photos } = await view.json() as { photos: { url: string }[] }
    expect(photos).toHaveLength(sample.photoCount)
    for (const photo of photos) expect((await fetch(`${second.url}${photo.url}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)

    let database: Database = t.database
    const reportIds = new Map<string, number>()
    if (engine === 'pglite') {
      await second.stop()
      database = await connect({ dataDir: dir })
    }
    try {
      for (const row of await rowsOf(database, 'select id, reference, receipt_hash from reports')) reportIds.set(String(row.reference), Number(row.id))
      for (const attempt of acknowledged) {
        const { reference, receiptCode, photoCount } = attempt.acknowledged!
        expect(reportIds.has(reference), `acknowledged ${reference} is in the database`).toBe(true)
        expect(photoCount).toBe(attempt.photos)
        const [row] = await rowsOf(database, `select receipt_hash from reports where reference = '${reference}'`)
        expect(row!.receipt_hash).toBe(receiptHash(t.config.receiptPepper, receiptCode))
      }

      // No report without its photos or its event, whether or not its answer got out before the kill.
      const reports = await rowsOf(database, `select r.id, r.description,
          (select count(*) from photos p where p.report_id = r.id) as photos,
          (select count(*) from events e where e.report_id = r.id and e.type = 'report.filed') as filed
        from reports r`)
      expect(reports.length).toBeGreaterThanOrEqual(acknowledged.length)
      // The intakes held at the kill had written their photos and sent their one INSERT statement: PostgreSQL ran it
      // to the end once the lock went, whole (checked below), though nobody was left to read the receipt.
      if (hold) expect(reports.length).toBeGreaterThanOrEqual(acknowledged.length + 3)
      for (const r of reports) {
        const promised = Number(/with (\d+) photos/.exec(String(r.description))![1])
        expect({ id: r.id, photos: Number(r.photos), filed: Number(r.filed) }).toEqual({ id: r.id, photos: promised, filed: 1 })
      }

      // Files and rows match exactly: every row's files exist, every file has its row.
      const keys = (await rowsOf(database, 'select storage_key, thumb_key from photos')).flatMap((p) => [String(p.storage_key), String(p.thumb_key)])
      const files = filesUnder(env.PHOTO_DIR!).map((path) => relative(env.PHOTO_DIR!, path))
      expect(files.sort()).toEqual(keys.sort())
      for (const key of keys) expect(existsSync(join(env.PHOTO_DIR!, key))).toBe(true)
    } finally {
      if (database !== t.database) await database.close()
    }

  }, 180_000)
})
