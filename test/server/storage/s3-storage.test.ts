import { randomUUID } from 'node:crypto'
import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, photos, reports } from '../../../server/src/db/schema.js'
import { S3PhotoStorage } from '../../../server/src/modules/photos/s3-storage.js'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { sweepOrphanPhotos } from '../../../server/src/modules/photos/sweep.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs, type StaffLogin } from '../helpers/factories.js'
import { filesUnder, fixture, multipart } from '../photos/fixtures.js'
import { LocalS3 } from './s3-server.js'

let s3: LocalS3
let t: TestApp
let storage: S3PhotoStorage
let moderator: StaffLogin
beforeAll(async () => {
  s3 = await new LocalS3().start()
  t = await startApp({ s3: s3.settings })
  storage = photoStorage(t.config) as S3PhotoStorage
  moderator = await loginAs(t.app, await aStaff(t.db, { role: 'moderator' }))
})
afterAll(async () => {
  await t.close()
  storage.close()
  await s3.dispose()
})

const keyOf = (id = randomUUID(), suffix = 'full') => `${id.slice(0, 2)}/${id}-${suffix}.webp`
const report = { category: 'vandalism', description: 'Bus shelter smashed again', location: { lat: 50.8466, lon: 4.3528 }, anonymous: true }

async function fileWithPhoto(): Promise<{ reference: string; receiptCode: string }> {
  const { payload, headers } = multipart({ report: JSON.stringify(report) }, [{ filename: 'a.jpg', type: 'image/jpeg', data: fixture('gps_DSCN0010.jpg') }])
  const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload, headers })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

async function photoOf(reference: string) {
  const [row] = await t.db.select().from(photos).innerJoin(reports, eq(reports.id, photos.reportId)).where(eq(reports.reference, reference))
  return row!.photos
}

async function tokenFor(receiptCode: string): Promise<string> {
  return (await t.app.inject({ method: 'POST', url: '/api/receipt/session', payload: { code: receiptCode } })).json().token
}

async function totals() {
  const [r] = await t.db.select({ n: count() }).from(reports)
  const [p] = await t.db.select({ n: count() }).from(photos)
  const [e] = await t.db.select({ n: count() }).from(events)
  const objects: string[] = []
  for await (const o of storage.list()) objects.push(o.key)
  return { reports: r!.n, photos: p!.n, events: e!.n, objects: objects.length }
}

describe('S3PhotoStorage against an S3-compatible server', () => {
  it('stores, reads, lists and deletes a photo by its key', async () => {
    const key = keyOf()
    const data = new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4])

    await storage.put(key, data)

    expect(await storage.get(key)).toEqual(Buffer.from(data))
    const listed: string[] = []
    for await (const o of storage.list()) listed.push(o.key)
    expect(listed).toContain(key)
    await storage.delete(key)
    expect(await storage.get(key)).toBeNull()
  })

  it('answers null for a missing key and treats deleting one as done', async () => {
    const key = keyOf()
    expect(await storage.get(key)).toBeNull()
    await expect(storage.delete(key)).resolves.toBeUndefined()
  })

  it('refuses keys that are not plain relative paths', async () => {
    for (const key of ['../etc/passwd', '/abs/key.webp', 'ab/../../x.webp', 'ab/./x.webp', '']) {
      await expect(storage.put(key, new Uint8Array([1]))).rejects.toThrow(/invalid photo key/)
    }
  })

  it('answers STORAGE_UNAVAILABLE when the store refuses the credentials', async () => {
    // s3rver checks the access key id (its v4 signature check is a stub): an unknown key is refused.
    const wrong = new S3PhotoStorage({ ...s3.settings, credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'S3RVER' } })
    try {
      await expect(wrong.put(keyOf(), new Uint8Array([1]))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE', statusCode: 503 })
    } finally {
      wrong.close()
    }
  })
})

describe('the app with S3_BUCKET set', () => {
  it('keeps an intake’s photos in the bucket, none on disk, and serves them to the reporter through the API', async () => {
    const filed = await fileWithPhoto()
    const photo = await photoOf(filed.reference)
    const token = await tokenFor(filed.receiptCode)

    const full = await t.app.inject({ url: `/api/photos/${photo.id}/full`, headers: { authorization: `Bearer ${token}` } })
    const thumb = await t.app.inject({ url: `/api/photos/${photo.id}/thumb`, headers: { authorization: `Bearer ${token}` } })

    expect(full.statusCode).toBe(200)
    expect(full.headers['content-type']).toBe('image/webp')
    expect(full.rawPayload.equals((await storage.get(photo.storageKey))!)).toBe(true)
    expect(thumb.rawPayload.equals((await storage.get(photo.thumbKey))!)).toBe(true)
    expect(filesUnder(t.config.photoDir)).toEqual([])
  })

  it('shows a photo to nobody else: no token, another report’s token and the public all get no bytes', async () => {
    const filed = await fileWithPhoto()
    const other = await fileWithPhoto()
    const photo = await photoOf(filed.reference)

    expect((await t.app.inject(`/api/photos/${photo.id}/full`)).statusCode).toBe(401)
    expect((await t.app.inject({ url: `/api/photos/${photo.id}/full`, headers: { authorization: `Bearer ${await tokenFor(other.receiptCode)}` } })).statusCode).toBe(404)
    expect((await t.app.inject(`/api/public/photos/${photo.id}`)).statusCode).toBe(404)
  })

  it('gives the public only the redacted derivative, once a moderator published the report and confirmed the photo', async () => {
    const filed = await fileWithPhoto()
    const photo = await photoOf(filed.reference)
    const decided = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${filed.reference}/decision`, headers: moderator.headers, payload: { decision: 'publish_original', reason: 'ok' } })
    expect(decided.statusCode, decided.body).toBe(200)
    expect((await t.app.inject(`/api/public/photos/${photo.id}`)).statusCode).toBe(404)

    const redacted = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/photos/${photo.id}/redaction`, headers: moderator.headers, payload: { rectangles: [{ x: 0.1, y: 0.1, width: 0.3, height: 0.3 }] } })
    expect(redacted.statusCode, redacted.body).toBe(200)

    const [row] = await t.db.select().from(photos).where(eq(photos.id, photo.id))
    const served = await t.app.inject(`/api/public/photos/${photo.id}`)
    const servedThumb = await t.app.inject(`/api/public/photos/${photo.id}/thumb`)
    expect(served.statusCode).toBe(200)
    expect(served.rawPayload.equals((await storage.get(row!.redactedKey!))!)).toBe(true)
    expect(servedThumb.rawPayload.equals((await storage.get(row!.redactedThumbKey!))!)).toBe(true)
    expect(served.rawPayload.equals((await storage.get(row!.storageKey))!)).toBe(false)
    // The original stays staff-only, in the bucket.
    const staffCopy = await t.app.inject({ url: `/api/staff/moderation/photos/${photo.id}/full`, headers: { cookie: moderator.cookie } })
    expect(staffCopy.rawPayload.equals((await storage.get(row!.storageKey))!)).toBe(true)
  })

  it('answers 503 STORAGE_UNAVAILABLE and saves nothing while the store is down, and works again once it is back', async () => {
    const filed = await fileWithPhoto()
    const photo = await photoOf(filed.reference)
    const token = await tokenFor(filed.receiptCode)
    const before = await totals()
    await s3.stop()
    try {
      const { payload, headers } = multipart({ report: JSON.stringify(report) }, [{ filename: 'a.jpg', type: 'image/jpeg', data: fixture('gps_DSCN0010.jpg') }])
      const refused = await t.app.inject({ method: 'POST', url: '/api/reports?lang=en', payload, headers })
      const read = await t.app.inject({ url: `/api/photos/${photo.id}/full`, headers: { authorization: `Bearer ${token}` } })

      expect(refused.statusCode).toBe(503)
      expect(refused.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
      expect(read.statusCode).toBe(503)
      expect(read.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' })
    } finally {
      await s3.start()
    }
    expect(await totals()).toEqual(before)
    await fileWithPhoto()
    expect(await totals()).toMatchObject({ reports: before.reports + 1, photos: before.photos + 1, objects: before.objects + 2 })
  })
})

describe('the orphan photo sweep on S3', () => {
  it('removes objects no photo row names once they are older than the grace period, and nothing else', async () => {
    const filed = await fileWithPhoto()
    const kept = await photoOf(filed.reference)
    const orphans = [keyOf(), keyOf(undefined, 'thumb'), `${keyOf()}.0a1b2c3d4e5f.tmp`]
    const foreign = ['backups/readme.txt', 'ab/not-a-photo.webp']
    for (const key of [...orphans, ...foreign]) await storage.put(key, new Uint8Array([1, 2, 3]))

    const young = await sweepOrphanPhotos(t.db, storage, { graceMs: 3_600_000 })
    expect(young.removed).toBe(0)
    for (const key of orphans) expect(await storage.get(key)).not.toBeNull()

    const old = await sweepOrphanPhotos(t.db, storage, { graceMs: 0, now: new Date(Date.now() + 60_000) })

    expect(old.removed).toBe(orphans.length)
    for (const key of orphans) expect(await storage.get(key)).toBeNull()
    for (const key of [...foreign, kept.storageKey, kept.thumbKey]) expect(await storage.get(key)).not.toBeNull()
  })
})
