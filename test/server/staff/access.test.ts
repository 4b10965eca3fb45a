import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, reports } from '../../../server/src/db/schema.js'
import { staffFromCookieHeader } from '../../../server/src/plugins/auth.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin, type TestStaff } from '../helpers/factories.js'

let t: TestApp
const here = { lat: 50.8275, lon: 4.3721 }
const elsewhere = { lat: 50.88, lon: 4.70 }
const who: Record<'officer' | 'otherOfficer' | 'moderator' | 'partner' | 'oversight' | 'admin', { staff: TestStaff; login: StaffLogin }> = {} as never
const ref: Record<'drugs' | 'conduct' | 'defect' | 'outside' | 'anonymous', string> = {} as never

async function file(category: string, location: { lat: number; lon: number }, named = true) {
  const res = await t.app.inject({
    method: 'POST', url: '/api/reports',
    payload: { category, description: `A report about ${category}`, location, anonymous: !named, ...(named ? { contact: { name: 'Sam Reporter', email: 'sam@example.be', phone: '0470 12 34 56', consent: true } } : {}) },
  })
  expect(res.statusCode).toBe(201)
  return res.json().reference as string
}

beforeAll(async () => {
  t = await startApp()
  const zone = await aZone(t.db, { around: here })
  const otherZone = await aZone(t.db, { around: elsewhere })
  const make = async (role: TestStaff['role'], zoneId?: number) => {
    const staff = await aStaff(t.db, { role, ...(zoneId ? { zoneId } : {}) })
    return { staff, login: await loginAs(t.app, staff) }
  }
  who.officer = await make('officer', zone.id)
  who.otherOfficer = await make('officer', otherZone.id)
  who.moderator = await make('moderator')
  who.partner = await make('partner')
  who.oversight = await make('oversight')
  who.admin = await make('admin')
  ref.drugs = await file('drugs', here)
  ref.conduct = await file('police_conduct', here)
  ref.defect = await file('public_space_defect', here)
  ref.outside = await file('theft', { lat: 51.05, lon: 3.72 })
  ref.anonymous = await file('vandalism', here, false)
})
afterAll(() => t.close())

const get = (url: string, login?: StaffLogin) => t.app.inject({ url, headers: login ? { cookie: login.cookie } : {} })
const queueOf = async (login: StaffLogin) => {
  const res = await get('/api/staff/reports?pageSize=100', login)
  expect(res.statusCode).toBe(200)
  return (res.json().items as { reference: string }[]).map((i) => i.reference).sort()
}

describe('who sees which queue', () => {
  it("shows an officer their zone's reports but never the police-conduct complaint about it", async () => {
    expect(await queueOf(who.officer.login)).toEqual([ref.drugs, ref.anonymous].sort())
    const detail = await get(`/api/staff/reports/${ref.conduct}`, who.officer.login)
    expect(detail.statusCode).toBe(403)
    expect(detail.json().code).toBe('FORBIDDEN')
  })

  it("shows an officer nothing of another zone", async () => {
    expect(await queueOf(who.otherOfficer.login)).toEqual([])
    expect((await get(`/api/staff/reports/${ref.drugs}`, who.otherOfficer.login)).statusCode).toBe(403)
  })

  it('shows the oversight body only the oversight queue', async () => {
    expect(await queueOf(who.oversight.login)).toEqual([ref.conduct])
    expect((await get(`/api/staff/reports/${ref.drugs}`, who.oversight.login)).statusCode).toBe(403)
  })

  it("shows the municipal partner only the municipality's queue", async () => {
    expect(await queueOf(who.partner.login)).toEqual([ref.defect])
    expect((await get(`/api/staff/reports/${ref.conduct}`, who.partner.login)).statusCode).toBe(403)
  })

  it('shows a moderator the review queue, including reports outside every zone, but not the staff report page', async () => {
    const review = await get('/api/staff/moderation/queue?type=report&pageSize=100', who.moderator.login)
    expect(review.statusCode).toBe(200)
    expect((review.json().items as { reference: string }[]).map((i) => i.reference).sort()).toEqual(Object.values(ref).sort())
    // What residents wrote, without contact data ...
    const moderation = await get(`/api/staff/moderation/reports/${ref.drugs}`, who.moderator.login)
    expect(moderation.statusCode).toBe(200)
    expect(JSON.stringify(moderation.json())).not.toMatch(/Sam Reporter|sam@example\.be|470/)
    // ... and none of the officers' working file: queue, report page with internal notes, contact, workflow, updates.
    for (const url of ['/api/staff/reports', `/api/staff/reports/${ref.drugs}`, `/api/staff/reports/${ref.drugs}/contact`]) {
      const res = await get(url, who.moderator.login)
      expect([url, res.statusCode, res.json().code]).toEqual([url, 403, 'FORBIDDEN'])
    }
    for (const url of [`/api/staff/reports/${ref.drugs}/workflow`, `/api/staff/reports/${ref.drugs}/updates`]) {
      const res = await get(url, who.moderator.login)
      expect([url, res.statusCode, res.json().code]).toEqual([url, 404, 'REPORT_NOT_FOUND'])
    }
    const status = await t.app.inject({
      method: 'POST', url: `/api/staff/reports/${ref.drugs}/status`,
      headers: who.moderator.login.headers,
      payload: { status: 'acknowledged' },
    })
    expect(status.statusCode).toBe(403)
    expect((await t.db.select({ status: reports.status }).from(reports).where(eq(reports.reference, ref.drugs)))[0]?.status).toBe('new')
  })

  it('lets an admin browse every report but not its contact data', async () => {
    expect(await queueOf(who.admin.login)).toEqual(Object.values(ref).sort())
    const detail = await get(`/api/staff/reports/${ref.outside}`, who.admin.login)
    expect(detail.json().routing).toMatchObject({ zoneId: null, queue: 'central', reason: 'outside every zone → central queue' })
  })

  it('filters the queue by category, zone, status and lateness, and pages it', async () => {
    const byCategory = await get('/api/staff/reports?category=drugs&category=vandalism', who.admin.login)
    expect(byCategory.json().total).toBe(2)
    const page = await get('/api/staff/reports?pageSize=2&page=2', who.admin.login)
    expect(page.json()).toMatchObject({ total: 5, page: 2, pageSize: 2 })
    expect(page.json().items).toHaveLength(2)
    const closed = await get('/api/staff/reports?status=closed', who.admin.login)
    expect(closed.json().total).toBe(0)
    await t.db.update(reports).set({ createdAt: new Date(Date.now() - 100 * 3_600_000), dueAt: new Date(Date.now() - 28 * 3_600_000) }).where(eq(reports.reference, ref.drugs))
    const late = await get('/api/staff/reports?overdue=true', who.officer.login)
    expect(late.json().items.map((i: { reference: string; overdue: string }) => [i.reference, i.overdue])).toEqual([[ref.drugs, 'overdue']])
    // Lateness is against the promised response time, as the badge shows it: a due date moved out does not hide it.
    await t.db.update(reports).set({ createdAt: new Date(Date.now() - 80 * 3_600_000), dueAt: new Date(Date.now() + 100 * 3_600_000) }).where(eq(reports.reference, ref.defect))
    const lateForAdmin = await get('/api/staff/reports?overdue=true', who.admin.login)
    expect(lateForAdmin.json().items.map((i: { reference: string; overdue: string }) => [i.reference, i.overdue])).toEqual([[ref.drugs, 'overdue'], [ref.defect, 'overdue']])
    const onTime = await get('/api/staff/reports?overdue=false', who.admin.login)
    expect(onTime.json().items.every((i: { overdue: string }) => i.overdue === 'on_time')).toBe(true)
    expect(onTime.json().total).toBe(3)
  })

  it('sorts the whole queue, not one page: newest, most overdue or earliest due first', async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000)
    // [filed hours ago, promised hours, answered after hours, due in hours]
    const plan: [keyof typeof ref, number, number, number | null, number][] = [
      ['drugs', 50, 24, null, 30], // 50 h of 24 promised, unanswered: 2.1× late
      ['conduct', 10, 2, 9, 1], // answered after 9 h of 2 promised: 4.5× late, for good
      ['defect', 40, 72, null, -5], // on time, but due 5 h ago
      ['outside', 5, 72, null, 100],
      ['anonymous', 20, 72, 1, 10],
    ]
    for (const [key, filed, promised, answered, due] of plan) {
      await t.db.update(reports).set({
        createdAt: hoursAgo(filed),
        promisedResponseHours: promised,
        firstPublicAnswerAt: answered === null ? null : hoursAgo(filed - answered),
        dueAt: hoursAgo(-due),
      }).where(eq(reports.reference, ref[key]))
    }
    const order = async (sort: string) => {
      const pages = await Promise.all([1, 2, 3].map((page) => get(`/api/staff/reports?sort=${sort}&pageSize=2&page=${page}`, who.admin.login)))
      return pages.flatMap((res) => (res.json().items as { reference: string }[]).map((i) => i.reference))
    }
    expect(await order('oldest')).toEqual([ref.drugs, ref.defect, ref.anonymous, ref.conduct, ref.outside])
    expect(await order('newest')).toEqual([ref.outside, ref.conduct, ref.anonymous, ref.defect, ref.drugs])
    expect(await order('overdue')).toEqual([ref.conduct, ref.drugs, ref.defect, ref.outside, ref.anonymous])
    expect(await order('due')).toEqual([ref.defect, ref.conduct, ref.anonymous, ref.drugs, ref.outside])
    expect((await get('/api/staff/reports?sort=loudest', who.admin.login)).statusCode).toBe(400)
  })
})

describe("a named reporter's contact data", () => {
  it("is shown to the zone's officer, and each view is audited", async () => {
    const res = await get(`/api/staff/reports/${ref.drugs}/contact`, who.officer.login)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ name: 'Sam Reporter', email: 'sam@example.be', phone: '+32470123456', contactConsent: true })
    expect(res.headers['cache-control']).toBe('no-store')
    await get(`/api/staff/reports/${ref.drugs}/contact`, who.officer.login)
    const views = await t.db.select().from(auditLog).where(eq(auditLog.action, 'report.contact_viewed'))
    expect(views).toHaveLength(2)
    expect(views[0]).toMatchObject({ staffId: who.officer.staff.id, targetId: ref.drugs })
  })

  it('is refused to moderators, admins, partners, oversight and other zones, and the refusals are audited', async () => {
    for (const [role, reference] of [['moderator', ref.drugs], ['admin', ref.drugs], ['partner', ref.defect], ['oversight', ref.conduct]] as const) {
      const res = await get(`/api/staff/reports/${reference}/contact`, who[role].login)
      expect(res.statusCode, role).toBe(403)
      expect(res.json().code).toBe('FORBIDDEN')
    }
    expect((await get(`/api/staff/reports/${ref.drugs}/contact`, who.otherOfficer.login)).statusCode).toBe(403)
    const refused = await t.db.select().from(auditLog).where(eq(auditLog.action, 'report.contact_refused'))
    expect(refused.length).toBeGreaterThanOrEqual(4)
  })

  it('is shown to the oversight member a complaint is assigned to', async () => {
    await t.db.update(reports).set({ assignedStaffId: who.oversight.staff.id }).where(eq(reports.reference, ref.conduct))
    const res = await get(`/api/staff/reports/${ref.conduct}/contact`, who.oversight.login)
    expect(res.statusCode).toBe(200)
    // The zone's own officer still cannot see the complaint or who made it.
    expect((await get(`/api/staff/reports/${ref.conduct}/contact`, who.officer.login)).statusCode).toBe(403)
  })

  it('does not exist for an anonymous report', async () => {
    const res = await get(`/api/staff/reports/${ref.anonymous}/contact`, who.officer.login)
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('NOT_FOUND')
  })
})

describe('refusals with stable codes', () => {
  it('answers UNAUTHENTICATED without a session and REPORT_NOT_FOUND for an unknown reference', async () => {
    const none = await get('/api/staff/reports')
    expect(none.statusCode).toBe(401)
    expect(none.json().code).toBe('UNAUTHENTICATED')
    const unknown = await get('/api/staff/reports/NB-2026-999999', who.admin.login)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().code).toBe('REPORT_NOT_FOUND')
  })

  it('keeps the admin API and the audit log to admins', async () => {
    for (const role of ['officer', 'moderator', 'partner', 'oversight'] as const) {
      const create = await t.app.inject({ method: 'POST', url: '/api/staff/users', headers: who[role].login.headers, payload: { email: 'x@nabij.test', displayName: 'X', role: 'admin', password: 'a long enough password' } })
      expect(create.statusCode, role).toBe(403)
      expect((await get('/api/staff/audit', who[role].login)).statusCode, role).toBe(403)
      expect((await get('/api/routing-rules', who[role].login)).statusCode, role).toBe(403)
    }
  })

  it('identifies the staff member behind a websocket Cookie header', async () => {
    const staff = await staffFromCookieHeader(t.db, `theme=dark; ${who.officer.login.cookie}`)
    expect(staff).toMatchObject({ id: who.officer.staff.id, role: 'officer' })
    expect(await staffFromCookieHeader(t.db, 'nabij_session=nope')).toBeNull()
    expect(await staffFromCookieHeader(t.db, undefined)).toBeNull()
  })
})

describe('the audit log', () => {
  it('lets admins query it by report, staff member, action and time range', async () => {
    const byReport = await get(`/api/staff/audit?reference=${ref.drugs}`, who.admin.login)
    expect(byReport.statusCode).toBe(200)
    expect(byReport.json().items.every((i: { reference: string }) => i.reference === ref.drugs)).toBe(true)
    expect(byReport.json().items.map((i: { action: string }) => i.action)).toContain('report.contact_viewed')

    const byStaff = await get(`/api/staff/audit?staffId=${who.officer.staff.id}&action=report.contact_viewed`, who.admin.login)
    expect(byStaff.json().total).toBe(2)
    expect(byStaff.json().items[0]).toMatchObject({ staffName: who.officer.staff.displayName, targetType: 'report' })

    const future = new Date(Date.now() + 3_600_000).toISOString()
    const empty = await get(`/api/staff/audit?from=${encodeURIComponent(future)}`, who.admin.login)
    expect(empty.json().total).toBe(0)
    const past = await get(`/api/staff/audit?to=${encodeURIComponent(future)}&pageSize=1`, who.admin.login)
    expect(past.json().total).toBeGreaterThan(5)
    expect(past.json().items).toHaveLength(1)
  })
})
