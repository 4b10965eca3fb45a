import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { auditLog, handoverNotes, reports, reportUpdates, zoneOfficers } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin, type TestStaff } from '../helpers/factories.js'

let t: TestApp
let outgoing: TestStaff
let successor: TestStaff
let admin: StaffLogin
let zoneId: number
const place = { lat: 50.8275, lon: 4.3721 }
const filed: { reference: string; receiptCode: string }[] = []

async function file(payload: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { category: 'drugs', description: 'Dealing at the corner', location: place, ...payload } })
  expect(res.statusCode).toBe(201)
  return res.json() as { reference: string; receiptCode: string }
}

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db, { around: place, name: 'Flagey' })).id
  outgoing = await aStaff(t.db, { role: 'officer', zoneId, displayName: 'Inspecteur Dubois' })
  successor = await aStaff(t.db, { role: 'officer', displayName: 'Inspectrice Janssens' })
  admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
  filed.push(await file({ anonymous: true }))
  filed.push(await file({ anonymous: false, contact: { name: 'An Peeters', email: 'an@example.be', consent: true } }))
  const closed = await file({ anonymous: true })
  await t.db.update(reports).set({ status: 'closed', closeReason: 'resolved' }).where(eq(reports.reference, closed.reference))
  // An earlier conversation on the first report: the officer's note, a question and the reporter's answer.
  const [first] = await t.db.select().from(reports).where(eq(reports.reference, filed[0]!.reference))
  await t.db.insert(reportUpdates).values([
    { reportId: first!.id, author: 'staff', staffId: outgoing.id, visibility: 'internal', kind: 'message', text: 'Known spot, talk to the shop owner', moderationState: 'published_original' },
    { reportId: first!.id, author: 'staff', staffId: outgoing.id, visibility: 'reporter', kind: 'question', text: 'At what time does it happen?', moderationState: 'published_original' },
    { reportId: first!.id, author: 'reporter', visibility: 'reporter', kind: 'message', text: 'Every evening around nine', moderationState: 'pending' },
  ])
})
afterAll(() => t.close())

describe('handing a zone over to a successor', () => {
  let handoverId: number

  it('routes new reports to the outgoing primary officer before the handover', async () => {
    const rows = await t.db.select().from(reports).where(eq(reports.zoneId, zoneId))
    expect(rows.every((r) => r.assignedStaffId === outgoing.id)).toBe(true)
  })

  it('moves the open reports to the successor and ends the outgoing assignment', async () => {
    const res = await t.app.inject({
      method: 'POST', url: `/api/zones/${zoneId}/handover`, headers: admin.headers,
      payload: { fromStaffId: outgoing.id, toStaffId: successor.id },
    })

    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.movedReports).toBe(2)
    expect(body.references.sort()).toEqual(filed.map((f) => f.reference).sort())
    handoverId = body.handoverId
    const open = await t.db.select().from(reports).where(and(eq(reports.zoneId, zoneId), eq(reports.status, 'new')))
    expect(open.map((r) => r.assignedStaffId)).toEqual([successor.id, successor.id])
    const [closed] = await t.db.select().from(reports).where(and(eq(reports.zoneId, zoneId), eq(reports.status, 'closed')))
    expect(closed!.assignedStaffId).toBe(outgoing.id)
    const assignments = await t.db.select().from(zoneOfficers).where(eq(zoneOfficers.zoneId, zoneId))
    expect(assignments).toHaveLength(2)
    expect(assignments.find((a) => a.staffId === outgoing.id)!.endsOn).not.toBeNull()
    expect(assignments.find((a) => a.staffId === successor.id)).toMatchObject({ primary: true, endsOn: null })
  })

  it('routes the next report of the zone to the successor', async () => {
    const next = await file({ anonymous: true })
    const [row] = await t.db.select().from(reports).where(eq(reports.reference, next.reference))
    expect(row!.assignedStaffId).toBe(successor.id)
  })

  it('lets the outgoing officer write the note, and only them', async () => {
    const outgoingLogin = await loginAs(t.app, outgoing)
    const note = 'Contacts: Mme Leroy (shop, 12 place Flagey). Partner: Ixelles prevention service. Priority: the playground at night.'
    const res = await t.app.inject({ method: 'PUT', url: `/api/staff/handovers/${handoverId}/note`, headers: outgoingLogin.headers, payload: { note } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ note, fromStaffName: 'Inspecteur Dubois', toStaffName: 'Inspectrice Janssens', movedReports: 2, seenAt: null })

    const successorLogin = await loginAs(t.app, successor)
    const forged = await t.app.inject({ method: 'PUT', url: `/api/staff/handovers/${handoverId}/note`, headers: successorLogin.headers, payload: { note: 'rewritten' } })
    expect(forged.statusCode).toBe(403)
    expect(forged.json().code).toBe('FORBIDDEN')
  })

  it('shows the note to the successor, who marks it as read', async () => {
    const login = await loginAs(t.app, successor)
    const list = await t.app.inject({ url: '/api/staff/handovers', headers: { cookie: login.cookie } })
    expect(list.statusCode).toBe(200)
    expect(list.json()).toHaveLength(1)
    expect(list.json()[0].note).toMatch(/^Contacts: Mme Leroy/)
    const seen = await t.app.inject({ method: 'POST', url: `/api/staff/handovers/${handoverId}/seen`, headers: login.headers })
    expect(seen.json().seenAt).not.toBeNull()
    const [row] = await t.db.select().from(handoverNotes).where(eq(handoverNotes.id, handoverId))
    expect(row!.seenAt).not.toBeNull()
  })

  it('gives the successor the whole history of each moved report, contact data included', async () => {
    const login = await loginAs(t.app, successor)
    const queue = await t.app.inject({ url: '/api/staff/reports', headers: { cookie: login.cookie } })
    expect(queue.json().items.map((i: { reference: string }) => i.reference)).toEqual(expect.arrayContaining(filed.map((f) => f.reference)))

    const detail = await t.app.inject({ url: `/api/staff/reports/${filed[0]!.reference}`, headers: { cookie: login.cookie } })
    expect(detail.statusCode).toBe(200)
    const timeline = detail.json().timeline as { text: string | null; visibility: string; cannedKey: string | null; staffName: string | null }[]
    expect(timeline.map((u) => u.text ?? u.cannedKey)).toEqual(['Known spot, talk to the shop owner', 'At what time does it happen?', 'Every evening around nine', 'officer_changed'])
    expect(timeline[0]).toMatchObject({ visibility: 'internal', staffName: 'Inspecteur Dubois' })
    expect(detail.json().routing).toMatchObject({ zoneId, queue: 'zone', assignedStaffId: successor.id, assignedStaffName: 'Inspectrice Janssens' })

    const contact = await t.app.inject({ url: `/api/staff/reports/${filed[1]!.reference}/contact`, headers: { cookie: login.cookie } })
    expect(contact.statusCode).toBe(200)
    expect(contact.json()).toMatchObject({ name: 'An Peeters', email: 'an@example.be' })
  })

  it('no longer shows the zone or its reports to the outgoing officer', async () => {
    const login = await loginAs(t.app, outgoing)
    const queue = await t.app.inject({ url: '/api/staff/reports', headers: { cookie: login.cookie } })
    expect(queue.json().total).toBe(0)
    const detail = await t.app.inject({ url: `/api/staff/reports/${filed[1]!.reference}`, headers: { cookie: login.cookie } })
    expect(detail.statusCode).toBe(403)
    const contact = await t.app.inject({ url: `/api/staff/reports/${filed[1]!.reference}/contact`, headers: { cookie: login.cookie } })
    expect(contact.statusCode).toBe(403)
  })

  it('tells residents following a moved report, neutrally and in their language, that their officer changed', async () => {
    const session = await t.app.inject({ method: 'POST', url: '/api/receipt/session', payload: { code: filed[0]!.receiptCode } })
    expect(session.statusCode).toBe(200)
    const view = await t.app.inject({ url: '/api/followup?lang=fr', headers: { authorization: `Bearer ${session.json().token}` } })
    expect(view.statusCode).toBe(200)
    const timeline = view.json().timeline as { author: string; text: string; cannedKey?: string }[]
    const last = timeline.at(-1)!
    expect(last).toMatchObject({ author: 'system', cannedKey: 'officer_changed', text: fr.update.officer_changed })
    expect(JSON.stringify(view.json())).not.toContain('Dubois')
    expect(JSON.stringify(view.json())).not.toContain('Known spot')
  })

  it('writes the handover and every moved report to the audit log', async () => {
    const rows = await t.db.select().from(auditLog)
    expect(rows.filter((r) => r.action === 'zone.handover')).toHaveLength(1)
    expect(rows.filter((r) => r.action === 'report.reassigned')).toHaveLength(2)
    expect(rows.filter((r) => r.action === 'report.contact_viewed')).toHaveLength(1)
    expect(rows.find((r) => r.action === 'zone.handover')!.detail).toMatchObject({ from: outgoing.id, to: successor.id, movedReports: 2 })
  })

  it('refuses a handover from an officer who is not in the zone, changing nothing', async () => {
    const res = await t.app.inject({
      method: 'POST', url: `/api/zones/${zoneId}/handover?lang=en`, headers: admin.headers,
      payload: { fromStaffId: outgoing.id, toStaffId: successor.id },
    })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toEqual({ code: 'OFFICER_NOT_IN_ZONE', message: 'This officer is not assigned to this zone.' })
    expect(await t.db.select().from(handoverNotes)).toHaveLength(1)
  })

  it('refuses a successor who is not an officer', async () => {
    const moderator = await aStaff(t.db, { role: 'moderator' })
    const res = await t.app.inject({
      method: 'POST', url: `/api/zones/${zoneId}/handover`, headers: admin.headers,
      payload: { fromStaffId: successor.id, toStaffId: moderator.id },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('STAFF_NOT_OFFICER')
  })

  it('keeps the assignment history of the zone', async () => {
    const res = await t.app.inject({ url: `/api/zones/${zoneId}/officers`, headers: { cookie: admin.cookie } })
    expect(res.json().map((a: { displayName: string; active: boolean; primary: boolean }) => [a.displayName, a.active, a.primary]))
      .toEqual([['Inspecteur Dubois', false, true], ['Inspectrice Janssens', true, true]])
  })
})
