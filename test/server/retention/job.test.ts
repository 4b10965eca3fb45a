import { rmSync } from 'node:fs'
import { and, eq, inArray } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { auditLog, reports } from '../../../server/src/db/schema.js'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { runRetention } from '../../../server/src/modules/retention/job.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { engine } from '../helpers/database.js'
import { aReport } from '../moderation/helpers.js'
import { aBeat, type Beat } from '../workflow/fixtures.js'
import { close, day, file, reportOf, settings } from './helpers.js'

let t: TestApp
let beat: Beat
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
})
afterAll(() => t.close())

const contact = { name: 'An Peeters', email: 'an@example.be', consent: true }

async function closedNamedReports(count: number, on = t, zone = beat): Promise<string[]> {
  const references: string[] = []
  for (let i = 0; i < count; i++) {
    const { reference } = await file(on, zone.at, { contact })
    await close(on.app, reference, zone.login.headers)
    references.push(reference)
  }
  return references
}

describe('the retention job', () => {
  it('starts with the app and erases what is due without being asked', async () => {
    // Contact data erased right at closing, and the job every 100 ms: its first run comes soon after start.
    const fast = await startApp({ retentionContactDays: 0, retentionIntervalMs: 100 })
    const [reference] = await closedNamedReports(1, fast, await aBeat(fast.app, fast.db))

    await vi.waitFor(async () => {
      expect((await reportOf(fast, reference!)).contactErasedAt).not.toBeNull()
    }, { timeout: 10_000 })
    expect(await reportOf(fast, reference!)).toMatchObject({ reporterName: null, reporterEmail: null })
    await fast.close()
  })

  it('works on one instance at a time: concurrent runs erase each report once', async () => {
    const references = await closedNamedReports(3)
    const storage = photoStorage(t.config)
    const later = new Date(Date.now() + 91 * day)

    const runs = await Promise.all([1, 2, 3, 4].map(() => runRetention(t.db, storage, settings, later)))

    const ids = await Promise.all(references.map(async (r) => (await reportOf(t, r)).id))
    const entries = await t.db.select().from(auditLog).where(and(inArray(auditLog.reportId, ids), eq(auditLog.action, 'report.contact_erased')))
    expect(entries).toHaveLength(3)
    expect(new Set(entries.map((e) => e.reportId)).size).toBe(3)
    expect(runs.reduce((sum, run) => sum + run.contacts, 0)).toBeLessThanOrEqual(3)
  })

  it('skips a run while another instance holds its lock, and runs once the lock is free', async () => {
    const [reference] = await closedNamedReports(1)
    const storage = photoStorage(t.config)
    const later = new Date(Date.now() + 91 * day)
    if (engine === 'postgres') {
      // Another instance: its own connection, in a transaction that took the job's lock.
      const other = new pg.Client({ connectionString: t.database.url })
      await other.connect()
      await other.query('begin')
      await other.query('select pg_advisory_xact_lock($1)', [0x6e61626b])
      expect(await runRetention(t.db, storage, settings, later)).toEqual({ skipped: true, contacts: 0, photos: 0 })
      expect((await reportOf(t, reference!)).reporterName).toBe(contact.name)
      await other.query('commit')
      await other.end()
    } else {
      // PGlite is one session in one process: no other instance can hold the lock, transactions run one at a time.
      const [first, second] = await Promise.all([runRetention(t.db, storage, settings, later), runRetention(t.db, storage, settings, later)])
      expect([first!.skipped, second!.skipped]).toEqual([false, false])
    }
    await runRetention(t.db, storage, settings, later)
    expect((await reportOf(t, reference!)).reporterName).toBeNull()
  })

  it('stops when the app closes', async () => {
    const other = await startApp({ retentionContactDays: 0, retentionIntervalMs: 50 })
    await other.app.close()
    // A report due for erasure, written after the close: no run may touch it any more.
    const due = await aReport(other.db, { anonymous: false, reporterName: contact.name, reporterEmail: contact.email, status: 'closed', closedAt: new Date(Date.now() - day) })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const [row] = await other.db.select().from(reports).where(eq(reports.id, due.id))
    expect(row).toMatchObject({ reporterName: contact.name, contactErasedAt: null })
    await other.database.close()
    rmSync(other.config.dataDir, { recursive: true, force: true })
  })
})
