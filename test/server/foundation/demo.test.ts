import { count, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reports, staffUsers, zones } from '../../../server/src/db/schema.js'
import { seedDemo, type DemoLogin } from '../../../server/src/demo/seed.js'
import { startApp, type TestApp } from '../helpers/app.js'

let t: TestApp
let logins: DemoLogin[]
beforeAll(async () => {
  t = await startApp()
  logins = (await seedDemo(t.db, t.config))!.logins
}, 120_000)
afterAll(() => t.close())

describe('demo data', () => {
  it('imports the Ixelles/Brussels neighbourhoods of zone 5339 and the Leuven deelgemeenten of zone 5388', async () => {
    const rows = await t.db.select({ policeZoneId: zones.policeZoneId, n: count() }).from(zones).groupBy(zones.policeZoneId)
    expect(Object.fromEntries(rows.map((r) => [r.policeZoneId, r.n]))).toEqual({ 5339: 42, 5388: 6 })
  })

  it('gives every neighbourhood an officer and creates each other role', async () => {
    const roles = await t.db.select({ role: staffUsers.role, n: count() }).from(staffUsers).groupBy(staffUsers.role)
    expect(Object.fromEntries(roles.map((r) => [r.role, r.n]))).toEqual({ officer: 48, admin: 1, moderator: 1, partner: 1, oversight: 1 })
  })

  it('files about fifty reports in several languages, categories, queues and states', async () => {
    const all = await t.db.select().from(reports)
    expect(all.length).toBeGreaterThanOrEqual(45)
    expect(new Set(all.map((r) => r.language)).size).toBeGreaterThanOrEqual(8)
    expect(new Set(all.map((r) => r.category)).size).toBe(11)
    expect(new Set(all.map((r) => r.status))).toEqual(new Set(['new', 'acknowledged', 'in_progress', 'waiting_for_reporter', 'closed']))
    expect([...new Set(all.map((r) => r.queue))]).toEqual(expect.arrayContaining(['zone', 'oversight', 'municipality']))
    expect(all.filter((r) => r.queue === 'oversight').every((r) => r.category === 'police_conduct')).toBe(true)
    expect(all.some((r) => r.moderationState === 'published_summary')).toBe(true)
    expect(all.some((r) => r.moderationState === 'pending')).toBe(true)
  })

  it('prints logins that work', async () => {
    for (const login of logins.filter((l) => !l.email.includes('<'))) {
      const res = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: login.email, password: login.password } })
      expect(res.statusCode, login.email).toBe(200)
    }
  })

  it('seeds only an empty database', async () => {
    expect(await seedDemo(t.db, t.config)).toBeNull()
    const [row] = await t.db.select({ n: count() }).from(staffUsers).where(eq(staffUsers.role, 'admin'))
    expect(row!.n).toBe(1)
    const [events] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from events`).then((r) => (r as unknown as { rows: { n: number }[] }).rows)
    expect(events!.n).toBeGreaterThan(50)
  })
})
