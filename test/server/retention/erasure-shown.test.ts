import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { runRetention } from '../../../server/src/modules/retention/job.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs, type StaffLogin } from '../helpers/factories.js'
import { fixture, multipart } from '../photos/fixtures.js'
import { aBeat, type Beat } from '../workflow/fixtures.js'
import { close, day, file, residentToken, settings } from './helpers.js'

let t: TestApp
let beat: Beat
let moderator: StaffLogin
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
  moderator = await loginAs(t.app, await aStaff(t.db, { role: 'moderator' }))
})
afterAll(() => t.close())

const run = (at: Date) => runRetention(t.db, photoStorage(t.config), settings, at)
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString()
async function followUp(token: string) {
  const res = await t.app.inject({ method: 'GET', url: '/api/followup', headers: { authorization: `Bearer ${token}` } })
  expect(res.statusCode).toBe(200)
  return res.json()
}

describe('the follow-up says what was erased, why and when', () => {
  it('names nothing for a report of which nothing was erased', async () => {
    const filed = await file(t, beat.at, { photos: 1 })
    expect((await followUp(await residentToken(t.app, filed.receiptCode))).erased).toEqual([])
  })

  it("names the content the reporter erased, at the hour they did", async () => {
    const filed = await file(t, beat.at, { photos: 1, address: 'Kerkstraat 14' })
    const token = await residentToken(t.app, filed.receiptCode)
    const before = new Date()

    const res = await t.app.inject({ method: 'DELETE', url: '/api/followup', headers: { authorization: `Bearer ${token}` } })

    expect(res.statusCode).toBe(200)
    const view = res.json()
    expect(view).toMatchObject({ address: null, photos: [], erased: [{ part: 'content', reason: 'request' }] })
    expect([hourOf(before), hourOf(new Date())]).toContain(view.erased[0].at)
    expect((await followUp(token)).erased).toEqual(view.erased)

    // The officer's page says it too, to the second, instead of showing the neutral marker as the description.
    const staff = await t.app.inject({ method: 'GET', url: `/api/staff/reports/${filed.reference}`, headers: beat.login.headers })
    expect(staff.statusCode).toBe(200)
    const [erased] = staff.json().erased
    expect(erased).toMatchObject({ part: 'content', reason: 'request' })
    expect(new Date(erased.at).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000)
    expect(new Date(erased.at).getTime()).toBeLessThanOrEqual(Date.now())

    // So does the moderator's, both for the report itself and in the queue.
    const moderation = await t.app.inject({ method: 'GET', url: `/api/staff/moderation/reports/${filed.reference}`, headers: moderator.headers })
    expect(moderation.statusCode).toBe(200)
    expect(moderation.json()).toMatchObject({ erasedAt: erased.at, photos: [], flags: [] })
    const queue = await t.app.inject({ method: 'GET', url: '/api/staff/moderation/queue?pageSize=100', headers: moderator.headers })
    const queued = queue.json().items.find((i: { reference: string; type: string }) => i.type === 'report' && i.reference === filed.reference)
    expect(queued).toMatchObject({ erasedAt: erased.at })
    const untouched = queue.json().items.filter((i: { type: string; erasedAt?: string | null }) => i.type === 'report' && i.erasedAt === null)
    expect(untouched.length).toBeGreaterThan(0)
  })

  it("names a named reporter's contact data erased after the retention period", async () => {
    const filed = await file(t, beat.at, { contact: { name: 'An Peeters', email: 'an.peeters@example.be', consent: true } })
    const token = await residentToken(t.app, filed.receiptCode)
    await close(t.app, filed.reference, beat.login.headers)
    const at = new Date(Date.now() + 91 * day)

    await run(at)

    expect((await followUp(token)).erased).toEqual([{ part: 'contact', reason: 'retention', at: hourOf(at) }])
    const staff = await t.app.inject({ method: 'GET', url: `/api/staff/reports/${filed.reference}`, headers: beat.login.headers })
    expect(staff.json().erased).toEqual([{ part: 'contact', reason: 'retention', at: at.toISOString() }])
  })

  it('names the photos of a rejected report, and marks a photo-only reply whose photo retention took', async () => {
    const filed = await file(t, beat.at, { photos: 2 })
    const token = await residentToken(t.app, filed.receiptCode)
    const form = multipart({}, [{ filename: 'r.jpg', type: 'image/jpeg', data: fixture('orientation_landscape_6.jpg') }])
    const reply = await t.app.inject({ method: 'POST', url: '/api/followup/replies', payload: form.payload, headers: { ...form.headers, authorization: `Bearer ${token}` } })
    expect(reply.statusCode).toBe(201)
    const decided = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${filed.reference}/decision`, headers: moderator.headers, payload: { decision: 'reject_spam', reason: 'test' } })
    expect(decided.statusCode).toBe(200)
    const replied = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/replies/${reply.json().id}/decision`, headers: moderator.headers, payload: { decision: 'reject_spam', reason: 'test' } })
    expect(replied.statusCode).toBe(200)
    const kept = await followUp(token)
    expect(kept.timeline.find((i: { id: number }) => i.id === reply.json().id)).not.toHaveProperty('photosErased')
    const before = new Date()

    // The job runs as if a month had passed; its audit entry, and so the time shown, is the real time of the run.
    await run(new Date(Date.now() + 31 * day))

    const view = await followUp(token)
    expect(view.photos).toEqual([])
    expect(view.erased).toMatchObject([{ part: 'photos', reason: 'retention' }])
    expect([hourOf(before), hourOf(new Date())]).toContain(view.erased[0].at)
    expect(view.timeline.find((i: { id: number }) => i.id === reply.json().id)).toMatchObject({ author: 'reporter', text: null, photos: [], photosErased: true })
  })
})
