import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeReport } from '../../../server/src/modules/zones/routing.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'

let t: TestApp
let admin: StaffLogin
beforeAll(async () => {
  t = await startApp()
  admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
})
afterAll(() => t.close())

describe('assigning officers to a zone', () => {
  it('assigns officers, keeps one primary, and ends an assignment at once', async () => {
    const point = { lat: 50.85, lon: 4.35 }
    const zone = await aZone(t.db, { around: point, name: 'Marolles' })
    const first = await aStaff(t.db, { role: 'officer' })
    const second = await aStaff(t.db, { role: 'officer' })
    const assign = (staffId: number, primary: boolean) =>
      t.app.inject({ method: 'POST', url: `/api/zones/${zone.id}/officers`, headers: admin.headers, payload: { staffId, primary } })

    expect((await assign(first.id, true)).statusCode).toBe(200)
    expect((await routeReport(t.db, point, 'drugs')).assignedStaffId).toBe(first.id)
    const both = await assign(second.id, true)
    expect(both.json().map((a: { staffId: number; primary: boolean; active: boolean }) => [a.staffId, a.primary, a.active]))
      .toEqual([[first.id, false, true], [second.id, true, true]])
    expect((await routeReport(t.db, point, 'drugs')).assignedStaffId).toBe(second.id)

    const me = await t.app.inject({ url: '/api/staff/me', headers: { cookie: (await loginAs(t.app, first)).cookie } })
    expect(me.json().staff.zones).toEqual([{ id: zone.id, name: 'Marolles', primary: false }])

    const assignmentId = both.json().find((a: { staffId: number }) => a.staffId === second.id).assignmentId
    const ended = await t.app.inject({ method: 'DELETE', url: `/api/zones/${zone.id}/officers/${assignmentId}`, headers: admin.headers })
    expect(ended.json().find((a: { staffId: number }) => a.staffId === second.id).active).toBe(false)
    expect((await routeReport(t.db, point, 'drugs')).assignedStaffId).toBeNull()
  })

  it('refuses to assign someone who is not an officer', async () => {
    const zone = await aZone(t.db, { around: { lat: 50.86, lon: 4.36 } })
    const partner = await aStaff(t.db, { role: 'partner' })
    const res = await t.app.inject({ method: 'POST', url: `/api/zones/${zone.id}/officers?lang=nl`, headers: admin.headers, payload: { staffId: partner.id } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ code: 'STAFF_NOT_OFFICER', message: 'Dit personeelslid is geen actieve wijkagent.' })
  })

  it("shows on the zone's public page only officers who chose to be shown, by first name", async () => {
    const zone = await aZone(t.db, { around: { lat: 50.87, lon: 4.37 }, policeZoneId: '5344' })
    const shown = await aStaff(t.db, { role: 'officer', zoneId: zone.id })
    await aStaff(t.db, { role: 'officer', zoneId: zone.id, primary: false })
    await t.app.inject({ method: 'PATCH', url: `/api/staff/users/${shown.id}`, headers: admin.headers, payload: { publicFirstName: 'Karim', showOnZonePage: true } })
    const res = await t.app.inject(`/api/zones/${zone.id}`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: zone.id, policeZone: { id: '5344' }, promisedResponseHours: 72, officers: [{ firstName: 'Karim', primary: true }] })
    expect(JSON.stringify(res.json())).not.toContain(shown.displayName)
  })
})

describe('routing rules through the API', () => {
  it('creates, lists, replaces and disables rules, and routing follows them', async () => {
    const point = { lat: 50.90, lon: 4.40 }
    const zone = await aZone(t.db, { around: point })
    const rule = { position: 1, name: 'hate incidents to the central desk', category: 'hate_incident', zoneId: zone.id, queue: 'central' }
    const created = await t.app.inject({ method: 'POST', url: '/api/routing-rules', headers: admin.headers, payload: rule })
    expect(created.statusCode).toBe(201)
    const id = created.json().id as number
    expect(created.json()).toMatchObject({ ...rule, weekdays: null, fromMinute: null, toMinute: null, assignStaffId: null, enabled: true })
    expect((await routeReport(t.db, point, 'hate_incident')).routingRuleId).toBe(id)

    const replaced = await t.app.inject({ method: 'PUT', url: `/api/routing-rules/${id}`, headers: admin.headers, payload: { ...rule, weekdays: [1] } })
    expect(replaced.json().weekdays).toEqual([1])
    const disabled = await t.app.inject({ method: 'DELETE', url: `/api/routing-rules/${id}`, headers: admin.headers })
    expect(disabled.json().enabled).toBe(false)
    expect((await routeReport(t.db, point, 'hate_incident')).routingRuleId).toBeNull()
    const list = await t.app.inject({ url: '/api/routing-rules', headers: { cookie: admin.cookie } })
    expect(list.json().map((r: { id: number }) => r.id)).toContain(id)
  })

  it('keeps a window starting at midnight apart from no window at all', async () => {
    const payload = { position: 2, name: 'small hours', fromMinute: 0, toMinute: 360, weekdays: null, category: null, queue: 'central' }
    const res = await t.app.inject({ method: 'POST', url: '/api/routing-rules', headers: admin.headers, payload })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ fromMinute: 0, toMinute: 360, weekdays: null, category: null, zoneId: null })
    await t.app.inject({ method: 'DELETE', url: `/api/routing-rules/${res.json().id}`, headers: admin.headers })
  })

  it('refuses a rule for an unknown zone or with a bad weekday', async () => {
    const unknownZone = await t.app.inject({ method: 'POST', url: '/api/routing-rules', headers: admin.headers, payload: { position: 1, name: 'x', zoneId: 999999, queue: 'zone' } })
    expect(unknownZone.statusCode).toBe(404)
    expect(unknownZone.json().code).toBe('ZONE_NOT_FOUND')
    const badDay = await t.app.inject({ method: 'POST', url: '/api/routing-rules', headers: admin.headers, payload: { position: 1, name: 'x', weekdays: [8], queue: 'zone' } })
    expect(badDay.statusCode).toBe(400)
    expect(badDay.json().code).toBe('VALIDATION_FAILED')
  })
})
