import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { moderationFlags, reports } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { engine } from '../helpers/database.js'
import { aReport } from './helpers.js'

/**
 * Moderation flags new reports as their event's NOTIFY arrives, not at its 60 s sweep. Nothing here asks for the
 * review queue, which drains before it answers: each report is flagged by the listening side alone.
 */
let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

const flagey = { lat: 50.8275, lon: 4.3721 }
/** Well inside the sweep's 60 s: a report flagged within it was flagged by a notification or a reconnect. */
const soon = { timeout: 20_000, interval: 100 }

async function fileThroughIntake(description: string): Promise<number> {
  const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { category: 'nuisance', description, location: flagey, language: 'nl', anonymous: true } })
  expect(res.statusCode).toBe(201)
  const [row] = await t.db.select({ id: reports.id }).from(reports).where(eq(reports.reference, res.json().reference))
  return row!.id
}

async function expectFlaggedSoon(reportId: number, kind: string): Promise<void> {
  await vi.waitFor(async () => {
    const [row] = await t.db.select({ flaggedAt: reports.flaggedAt }).from(reports).where(eq(reports.id, reportId))
    expect(row!.flaggedAt).not.toBeNull()
  }, soon)
  const flags = await t.db.select({ kind: moderationFlags.kind }).from(moderationFlags).where(eq(moderationFlags.reportId, reportId))
  expect(flags.map((f) => f.kind)).toContain(kind)
}

/** This database's LISTEN connections (every app module that listens opens its own). */
async function listenBackends(): Promise<number[]> {
  const result = await t.db.execute(sql`select pid from pg_stat_activity where application_name = 'nabij-listen' and datname = current_database()`)
  return (result as unknown as { rows: { pid: number }[] }).rows.map((r) => Number(r.pid)).sort()
}

describe('moderation listening for new reports', () => {
  it('flags a report soon after intake commits it', async () => {
    const id = await fileThroughIntake('Kijk op www.goedkope-sigaretten.xyz, ze verkopen hier elke avond.')
    await expectFlaggedSoon(id, 'link')
  })

  if (engine === 'postgres') {
    it('listens again after its connection was killed, catches up on what came meanwhile and flags what comes next', async () => {
      const before = await listenBackends()
      // The realtime hub and moderation at least.
      expect(before.length).toBeGreaterThanOrEqual(2)
      // A row written without an event announces nothing: only a drain finds it, here the one after the reconnect.
      const meanwhile = await aReport(t.db, { description: 'Bel me op 0470 12 34 56 als jullie langskomen.' })

      await t.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'nabij-listen' and datname = current_database()`)

      // Every listener is back, each on a new connection.
      await vi.waitFor(async () => {
        const now = await listenBackends()
        expect(now).toHaveLength(before.length)
        expect(now.filter((pid) => before.includes(pid))).toEqual([])
      }, soon)
      await expectFlaggedSoon(meanwhile.id, 'phone')

      const after = await fileThroughIntake('Mail de eigenaar op winkel.hoek@example.be, hij weet er alles van.')
      await expectFlaggedSoon(after, 'email')
    })
  }
})
