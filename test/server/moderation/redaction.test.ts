import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs, type StaffLogin } from '../helpers/factories.js'
import { toPixels, redactPixels } from '../../../server/src/modules/moderation/redaction.js'
import { aPhoto, aReport, anUpdate, fixture } from './helpers.js'

let t: TestApp
let moderator: StaffLogin
beforeAll(async () => {
  t = await startApp()
  moderator = await loginAs(t.app, await aStaff(t.db, { role: 'moderator' }))
})
afterAll(() => t.close())

const redact = (photoId: string, rectangles: unknown[]) =>
  t.app.inject({ method: 'POST', url: `/api/staff/moderation/photos/${photoId}/redaction`, headers: moderator.headers, payload: { rectangles } })
const staffPhoto = async (photoId: string, variant: string) =>
  (await t.app.inject({ url: `/api/staff/moderation/photos/${photoId}/${variant}`, headers: { cookie: moderator.cookie } })).rawPayload
const publish = (reference: string) =>
  t.app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${reference}/decision`, headers: moderator.headers, payload: { decision: 'publish_original', reason: 'ok' } })

async function pixels(image: Buffer) {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** Mean absolute difference per channel over the pixels `where` selects. */
function meanDifference(a: Buffer, b: Buffer, width: number, height: number, where: (x: number, y: number) => boolean): number {
  let sum = 0
  let count = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!where(x, y)) continue
      const i = (y * width + x) * 3
      sum += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!)
      count += 3
    }
  }
  return sum / count
}

describe('photo redaction', () => {
  it('changes the pixels inside the rectangles of the public derivative and, but for re-encoding, not outside', async () => {
    const report = await aReport(t.db)
    const photo = await aPhoto(t.db, t.config.photoDir, { reportId: report.id })
    const rects = [{ x: 0.1, y: 0.2, width: 0.25, height: 0.3 }, { x: 0.6, y: 0.55, width: 0.2, height: 0.15 }]
    // The derivative is re-encoded (lossy WebP) even without rectangles: that confirmed copy is the baseline.
    expect((await redact(photo.id, [])).statusCode).toBe(200)
    const baseline = await pixels(await staffPhoto(photo.id, 'redacted'))

    const res = await redact(photo.id, rects)

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: photo.id, redacted: true, redactions: rects })
    const before = await pixels(await staffPhoto(photo.id, 'full'))
    const after = await pixels(await staffPhoto(photo.id, 'redacted'))
    expect([after.width, after.height]).toEqual([before.width, before.height])
    const { width, height } = before
    const boxes = rects.map((r) => ({ left: r.x * width, top: r.y * height, right: (r.x + r.width) * width, bottom: (r.y + r.height) * height }))
    // WebP works in 16 px blocks: a seam of that width around each rectangle may differ a little after re-encoding.
    const margin = 16
    const inside = (x: number, y: number) => boxes.some((b) => x >= b.left + 2 && x < b.right - 2 && y >= b.top + 2 && y < b.bottom - 2)
    const outside = (x: number, y: number) => !boxes.some((b) => x >= b.left - margin && x < b.right + margin && y >= b.top - margin && y < b.bottom + margin)

    expect(meanDifference(before.data, after.data, width, height, inside)).toBeGreaterThan(12)
    expect(meanDifference(baseline.data, after.data, width, height, inside)).toBeGreaterThan(12)
    // Outside, only lossy re-encoding noise: a fraction of one level out of 255, on average.
    expect(meanDifference(baseline.data, after.data, width, height, outside)).toBeLessThan(2.5)
    expect(meanDifference(before.data, after.data, width, height, outside)).toBeLessThan(2.5)
    // The original is untouched and still served to staff.
    expect((await staffPhoto(photo.id, 'full')).equals(await staffPhoto(photo.id, 'full'))).toBe(true)
    const entries = await t.db.select().from(auditLog).where(eq(auditLog.targetId, photo.id)).orderBy(auditLog.id)
    expect(entries.map((e) => [e.action, e.reportId, e.detail])).toEqual([
      ['photo.redacted', report.id, { rectangles: 0, replaced: false }],
      ['photo.redacted', report.id, { rectangles: 2, replaced: true }],
    ])
  })

  it('obscures exactly the rectangles before encoding: every pixel outside them is the original', async () => {
    const original = await sharp(fixture('gps_DSCN0010.jpg')).resize(640).webp().toBuffer()
    const decoded = await pixels(original)
    const rects = [{ x: 0.1, y: 0.2, width: 0.25, height: 0.3 }, { x: 0.6, y: 0.55, width: 0.2, height: 0.15 }]
    const result = await redactPixels(original, rects)
    expect(result.channels).toBe(3)
    const { width, height } = decoded
    const boxes = rects.map((r) => toPixels(r, width, height)!)
    const insideAny = (x: number, y: number) => boxes.some((b) => x >= b.left && x < b.left + b.width && y >= b.top && y < b.top + b.height)
    let changedOutside = 0
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (insideAny(x, y)) continue
        const i = (y * width + x) * 3
        if (decoded.data[i] !== result.data[i] || decoded.data[i + 1] !== result.data[i + 1] || decoded.data[i + 2] !== result.data[i + 2]) changedOutside++
      }
    }
    expect(changedOutside).toBe(0)
    expect(meanDifference(decoded.data, result.data, width, height, insideAny)).toBeGreaterThan(12)
  })

  it('serves a photo publicly only after a moderator confirmed it, even with no rectangle at all', async () => {
    const report = await aReport(t.db)
    const photo = await aPhoto(t.db, t.config.photoDir, { reportId: report.id })
    await publish(report.reference)

    expect((await t.app.inject(`/api/public/photos/${photo.id}`)).statusCode).toBe(404)
    expect((await t.app.inject(`/api/public/reports/${report.reference}`)).json().photos).toEqual([])

    expect((await redact(photo.id, [])).statusCode).toBe(200)

    const full = await t.app.inject(`/api/public/photos/${photo.id}`)
    const thumb = await t.app.inject(`/api/public/photos/${photo.id}/thumb`)
    expect(full.statusCode).toBe(200)
    expect(full.headers['content-type']).toBe('image/webp')
    expect(full.rawPayload.equals(await staffPhoto(photo.id, 'redacted'))).toBe(true)
    expect(full.rawPayload.equals(await staffPhoto(photo.id, 'full'))).toBe(false)
    expect((await sharp(thumb.rawPayload).metadata()).width).toBeLessThanOrEqual(400)
    expect((await t.app.inject(`/api/public/reports/${report.reference}`)).json().photos).toEqual([
      { id: photo.id, width: photo.width, height: photo.height, url: `/api/public/photos/${photo.id}`, thumbUrl: `/api/public/photos/${photo.id}/thumb` },
    ])
  })

  it('replaces an earlier redaction with a new derivative', async () => {
    const report = await aReport(t.db)
    const photo = await aPhoto(t.db, t.config.photoDir, { reportId: report.id }, 'orientation_landscape_6.jpg')
    await publish(report.reference)
    await redact(photo.id, [])
    const first = (await t.app.inject(`/api/public/photos/${photo.id}`)).rawPayload
    await redact(photo.id, [{ x: 0, y: 0, width: 1, height: 0.5 }])
    const second = (await t.app.inject(`/api/public/photos/${photo.id}`)).rawPayload
    expect(second.equals(first)).toBe(false)
  })

  it('keeps photos of a report that is not public, and of internal updates, off the public side', async () => {
    const pending = await aReport(t.db)
    const pendingPhoto = await aPhoto(t.db, t.config.photoDir, { reportId: pending.id })
    await redact(pendingPhoto.id, [])
    expect((await t.app.inject(`/api/public/photos/${pendingPhoto.id}`)).statusCode).toBe(404)

    const published = await aReport(t.db)
    await publish(published.reference)
    const internal = await anUpdate(t.db, published.id, { visibility: 'internal', text: 'Foto van de verdachte.' })
    const internalPhoto = await aPhoto(t.db, t.config.photoDir, { reportId: published.id, updateId: internal.id })
    await redact(internalPhoto.id, [])
    expect((await t.app.inject(`/api/public/photos/${internalPhoto.id}`)).statusCode).toBe(404)

    const officerUpdate = await anUpdate(t.db, published.id, { visibility: 'public', text: 'Het bord is hersteld.' })
    const officerPhoto = await aPhoto(t.db, t.config.photoDir, { reportId: published.id, updateId: officerUpdate.id })
    expect((await t.app.inject(`/api/public/photos/${officerPhoto.id}`)).statusCode).toBe(404)
    await redact(officerPhoto.id, [])
    expect((await t.app.inject(`/api/public/photos/${officerPhoto.id}`)).statusCode).toBe(200)
    const pub = (await t.app.inject(`/api/public/reports/${published.reference}`)).json()
    expect(pub.updates.map((u: { text: string; photos: { id: string }[] }) => [u.text, u.photos.map((p) => p.id)])).toEqual([['Het bord is hersteld.', [officerPhoto.id]]])
  })

  it('refuses rectangles outside the image and unknown photos', async () => {
    const report = await aReport(t.db)
    const photo = await aPhoto(t.db, t.config.photoDir, { reportId: report.id })
    const bad = await redact(photo.id, [{ x: 0.5, y: 0.5, width: 1.5, height: 0.2 }])
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('VALIDATION_FAILED')
    const missing = await redact('00000000-0000-4000-8000-000000000000', [])
    expect(missing.statusCode).toBe(404)
    expect(missing.json().code).toBe('PHOTO_NOT_FOUND')
  })
})
