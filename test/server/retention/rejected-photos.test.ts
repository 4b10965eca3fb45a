import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, photos, reports, reportUpdates } from '../../../server/src/db/schema.js'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { runRetention } from '../../../server/src/modules/retention/job.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs, type StaffLogin } from '../helpers/factories.js'
import { fixture, multipart } from '../photos/fixtures.js'
import { aBeat, type Beat } from '../workflow/fixtures.js'
import { day, file, photosOf, residentToken, settings } from './helpers.js'

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
const stored = async (keys: string[]) => (await Promise.all(keys.map((k) => photoStorage(t.config).get(k)))).filter((data) => data !== null).length
const keysOf = (rows: { storageKey: string; thumbKey: string }[]) => rows.flatMap((p) => [p.storageKey, p.thumbKey])

async function decide(reference: string, decision: string) {
  const res = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${reference}/decision`, headers: moderator.headers, payload: { decision, reason: 'test' } })
  expect(res.statusCode).toBe(200)
}

describe('photos of reports moderation rejected', () => {
  it('are deleted, files and rows, once the grace period after the rejection has passed', async () => {
    const spam = await file(t, beat.at, { photos: 2, description: 'Buy cheap watches at example.com' })
    const abuse = await file(t, beat.at, { photos: 1, description: 'Insults only' })
    await decide(spam.reference, 'reject_spam')
    await decide(abuse.reference, 'reject_abuse')
    const rows = [...(await photosOf(t, spam.report.id)), ...(await photosOf(t, abuse.report.id))]
    expect(rows).toHaveLength(3)
    expect(await stored(keysOf(rows))).toBe(6)

    expect((await run(new Date(Date.now() + 29 * day))).photos).toBe(0)
    expect(await stored(keysOf(rows))).toBe(6)

    const outcome = await run(new Date(Date.now() + 31 * day))

    expect(outcome.photos).toBe(3)
    expect(await photosOf(t, spam.report.id)).toEqual([])
    expect(await photosOf(t, abuse.report.id)).toEqual([])
    expect(await stored(keysOf(rows))).toBe(0)
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.reportId, spam.report.id), eq(auditLog.action, 'report.photos_deleted')))
    expect(entry).toMatchObject({ staffId: null, detail: { reason: 'retention', photos: 2, days: 30 } })
    const photo = await t.app.inject({ method: 'GET', url: `/api/staff/moderation/photos/${rows[0]!.id}/full`, headers: { cookie: moderator.cookie } })
    expect(photo.statusCode).toBe(404)
  })

  it('counts the grace period from the decision, not from filing', async () => {
    const old = await file(t, beat.at, { photos: 1 })
    // Filed a hundred days ago, rejected only now.
    await t.db.update(reports).set({ createdAt: new Date(Date.now() - 100 * day), updatedAt: new Date(Date.now() - 100 * day) }).where(eq(reports.id, old.report.id))
    await decide(old.reference, 'reject_spam')

    expect((await run(new Date(Date.now() + 29 * day))).photos).toBe(0)
    expect(await photosOf(t, old.report.id)).toHaveLength(1)
    expect((await run(new Date(Date.now() + 31 * day))).photos).toBe(1)
  })

  it('leaves the photos of published and private reports', async () => {
    const kept = await file(t, beat.at, { photos: 1 })
    const published = await file(t, beat.at, { photos: 1 })
    await decide(kept.reference, 'keep_private')
    await decide(published.reference, 'publish_original')

    await run(new Date(Date.now() + 365 * day))

    expect(await photosOf(t, kept.report.id)).toHaveLength(1)
    expect(await photosOf(t, published.report.id)).toHaveLength(1)
    expect(await stored(keysOf(await photosOf(t, published.report.id)))).toBe(2)
  })

  it("also deletes the photos of a resident's reply rejected as abuse, and no other photo of the report", async () => {
    const filed = await file(t, beat.at, { photos: 1 })
    await decide(filed.reference, 'publish_original')
    const token = await residentToken(t.app, filed.receiptCode)
    const form = multipart({ reply: JSON.stringify({ text: 'Here is the proof' }) }, [{ filename: 'r.jpg', type: 'image/jpeg', data: fixture('orientation_landscape_6.jpg') }])
    const reply = await t.app.inject({ method: 'POST', url: '/api/followup/replies', payload: form.payload, headers: { ...form.headers, authorization: `Bearer ${token}` } })
    expect(reply.statusCode).toBe(201)
    const updateId = (reply.json() as { id: number }).id
    const res = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/replies/${updateId}/decision`, headers: moderator.headers, payload: { decision: 'reject_abuse', reason: 'insults' } })
    expect(res.statusCode).toBe(200)
    const replyPhotos = await t.db.select().from(photos).where(eq(photos.updateId, updateId))
    expect(replyPhotos).toHaveLength(1)

    await run(new Date(Date.now() + 31 * day))

    expect(await t.db.select().from(photos).where(eq(photos.updateId, updateId))).toEqual([])
    expect(await stored(keysOf(replyPhotos))).toBe(0)
    const remaining = await photosOf(t, filed.report.id)
    expect(remaining).toHaveLength(1)
    expect(remaining[0]!.updateId).toBeNull()
    // The reply itself stays for the officers, with its moderation state.
    const [update] = await t.db.select().from(reportUpdates).where(eq(reportUpdates.id, updateId))
    expect(update).toMatchObject({ moderationState: 'rejected_abuse', text: 'Here is the proof' })
  })
})
