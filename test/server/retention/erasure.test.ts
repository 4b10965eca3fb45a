import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { auditLog, moderationFlags, reportUpdates } from '../../../server/src/db/schema.js'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { erasedText } from '../../../server/src/modules/retention/service.js'
import { cellCentre } from '../../../server/src/modules/stats/diagnosis.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs, type StaffLogin } from '../helpers/factories.js'
import { fixture, multipart } from '../photos/fixtures.js'
import { aBeat, type Beat } from '../workflow/fixtures.js'
import { file, photosOf, reportOf, residentToken, type Filed } from './helpers.js'

let t: TestApp
let beat: Beat
let moderator: StaffLogin
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
  moderator = await loginAs(t.app, await aStaff(t.db, { role: 'moderator' }))
})
afterAll(() => t.close())

const erase = (token: string, lang = 'en') => t.app.inject({ method: 'DELETE', url: `/api/followup?lang=${lang}`, headers: { authorization: `Bearer ${token}` } })
const stored = async (keys: string[]) => (await Promise.all(keys.map((k) => photoStorage(t.config).get(k)))).filter((data) => data !== null).length

/** The zone's figures as the public and the officers see them. */
async function figures() {
  const month = new Date().toISOString().slice(0, 7)
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ method: 'GET', url, headers })
    expect(res.statusCode, url).toBe(200)
    return res.json()
  }
  return {
    stats: await get(`/api/public/zones/${beat.zoneId}/stats?from=${month}&to=${month}`),
    diagnosis: await get(`/api/public/zones/${beat.zoneId}/diagnosis`),
    exact: await get(`/api/staff/diagnosis?zoneId=${beat.zoneId}`, { cookie: beat.login.cookie }),
  }
}

async function reply(token: string, text: string): Promise<number> {
  const form = multipart({ reply: JSON.stringify({ text }) }, [{ filename: 'r.jpg', type: 'image/jpeg', data: fixture('orientation_portrait_8.jpg') }])
  const res = await t.app.inject({ method: 'POST', url: '/api/followup/replies', payload: form.payload, headers: { ...form.headers, authorization: `Bearer ${token}` } })
  expect(res.statusCode).toBe(201)
  return (res.json() as { id: number }).id
}

describe('DELETE /api/followup: the reporter erases their report', () => {
  let target: Filed
  let token: string
  let replyId: number

  beforeAll(async () => {
    // Enough reports in the zone that its figures are shown rather than suppressed.
    for (let i = 0; i < 5; i++) {
      const other = await file(t, beat.at, { category: i % 2 ? 'drugs' : 'nuisance' })
      if (i < 3) await t.app.inject({ method: 'POST', url: `/api/staff/reports/${other.reference}/status`, headers: beat.login.headers, payload: { status: 'acknowledged' } })
    }
    target = await file(t, { lat: beat.at.lat + 0.0011, lon: beat.at.lon + 0.0007 }, {
      photos: 2,
      description: 'The man at Kerkstraat 14 sells from his car; call me on 0470 12 34 56',
      address: 'Kerkstraat 14',
    })
    token = await residentToken(t.app, target.receiptCode)
    await t.app.inject({ method: 'POST', url: `/api/staff/reports/${target.reference}/status`, headers: beat.login.headers, payload: { status: 'acknowledged' } })
    const update = await t.app.inject({ method: 'POST', url: `/api/staff/reports/${target.reference}/updates`, headers: beat.login.headers, payload: { text: 'We patrol there tonight.', language: 'en', visibility: 'public' } })
    expect(update.statusCode).toBe(201)
    replyId = await reply(token, 'It is a blue Golf, plate 1-ABC-123')
    const decision = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${target.reference}/decision`, headers: moderator.headers, payload: { decision: 'publish_original', reason: 'test' } })
    expect(decision.statusCode).toBe(200)
    // Automatic flagging runs after intake commits; the phone number in the description is flagged.
    await vi.waitFor(async () => {
      expect(await t.db.select().from(moderationFlags).where(eq(moderationFlags.reportId, target.report.id))).not.toEqual([])
    })
  })

  it('refuses without a valid resident token, in the asked language', async () => {
    for (const headers of [{}, { authorization: 'Bearer r1.1.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }]) {
      const res = await t.app.inject({ method: 'DELETE', url: '/api/followup?lang=fr', headers })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual({ code: 'RESIDENT_TOKEN_INVALID', message: fr.errors.RESIDENT_TOKEN_INVALID })
    }
    expect((await reportOf(t, target.reference)).description).toContain('Kerkstraat')
  })

  it('replaces the description, deletes address, photos, replies and flags, and keeps the figures', async () => {
    const before = await figures()
    const photoRows = await photosOf(t, target.report.id)
    expect(photoRows).toHaveLength(3)
    const keys = photoRows.flatMap((p) => [p.storageKey, p.thumbKey])
    expect(await stored(keys)).toBe(6)

    const res = await erase(token)

    expect(res.statusCode).toBe(200)
    const view = res.json()
    expect(view).toMatchObject({ reference: target.reference, description: erasedText, address: null, photos: [], category: 'nuisance', status: 'acknowledged' })
    const texts = (view.timeline as { text: string | null; author: string }[]).map((i) => i.text)
    expect(texts).toContain('We patrol there tonight.')
    expect(res.body).not.toContain('Golf')
    expect(res.body).not.toContain('Kerkstraat')

    const row = await reportOf(t, target.reference)
    expect(row).toMatchObject({ description: erasedText, addressText: null, zoneId: beat.zoneId, category: 'nuisance', status: 'acknowledged', moderationState: 'published_original' })
    expect(row.createdAt).toEqual(target.report.createdAt)
    expect({ lat: row.lat, lon: row.lon }).toEqual(cellCentre(target.report.lat!, target.report.lon!))
    expect(await photosOf(t, target.report.id)).toEqual([])
    expect(await stored(keys)).toBe(0)
    expect(await t.db.select().from(reportUpdates).where(eq(reportUpdates.id, replyId))).toEqual([])
    expect(await t.db.select().from(moderationFlags).where(eq(moderationFlags.reportId, target.report.id))).toEqual([])
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.reportId, target.report.id), eq(auditLog.action, 'report.erased_by_reporter')))
    expect(entry).toMatchObject({ staffId: null, detail: { photos: 3, replies: 1 } })

    expect(await figures()).toEqual(before)
  })

  it('shows the public and the officers the marker, never the erased words', async () => {
    const pub = await t.app.inject(`/api/public/reports/${target.reference}`)
    expect(pub.statusCode).toBe(200)
    expect(pub.json()).toMatchObject({ text: erasedText })
    expect(pub.body).not.toContain('0470')
    const staff = await t.app.inject({ method: 'GET', url: `/api/staff/reports/${target.reference}`, headers: { cookie: beat.login.cookie } })
    expect(staff.json()).toMatchObject({ description: erasedText, addressText: null, photos: [] })
    expect(staff.body).not.toContain('Golf')
  })

  it('answers a second request the same way, erasing nothing more', async () => {
    const res = await erase(token)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ description: erasedText, photos: [] })
    const entries = await t.db.select().from(auditLog).where(and(eq(auditLog.reportId, target.report.id), eq(auditLog.action, 'report.erased_by_reporter')))
    expect(entries.map((e) => e.detail)).toEqual([{ photos: 3, replies: 1 }, { photos: 0, replies: 0 }])
  })

  it("erases a named reporter's contact data with the rest", async () => {
    const named = await file(t, beat.at, { contact: { name: 'An Peeters', email: 'an@example.be', consent: true } })
    const res = await erase(await residentToken(t.app, named.receiptCode))
    expect(res.statusCode).toBe(200)
    const row = await reportOf(t, named.reference)
    expect(row).toMatchObject({ reporterName: null, reporterEmail: null, reporterPhone: null, contactConsent: false, description: erasedText })
    expect(row.contactErasedAt).not.toBeNull()
  })
})
