import { count, eq } from 'drizzle-orm'
import exifr from 'exifr'
import sharp, { type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { events, photos, reports } from '../../../server/src/db/schema.js'
import { LocalPhotoStorage } from '../../../server/src/modules/photos/storage.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { filesUnder, fixture, metadataMarkersIn, multipart, pixelFloodPng, webpChunks, type FilePart } from '../photos/fixtures.js'

let t: TestApp
let storage: LocalPhotoStorage
beforeAll(async () => {
  t = await startApp()
  storage = new LocalPhotoStorage(t.config.photoDir)
})
afterAll(() => t.close())

const report = { category: 'vandalism', description: 'Bus shelter smashed again', location: { lat: 50.8466, lon: 4.3528 }, anonymous: true }
const jpeg = (name: string): FilePart => ({ filename: name, type: 'image/jpeg', data: fixture(name) })

function submit(files: FilePart[], lang = 'en') {
  const { payload, headers } = multipart({ report: JSON.stringify(report) }, files)
  return t.app.inject({ method: 'POST', url: `/api/reports?lang=${lang}`, payload, headers })
}

async function photosOf(reference: string) {
  const [row] = await t.db.select({ id: reports.id }).from(reports).where(eq(reports.reference, reference))
  return t.db.select().from(photos).where(eq(photos.reportId, row!.id)).orderBy(photos.createdAt)
}

async function stored(key: string): Promise<Buffer> {
  const data = await storage.get(key)
  expect(data, `photo file ${key}`).not.toBeNull()
  return data!
}

/** Downscaled greyscale pixels, to compare orientation without caring about encoder noise. */
async function signature(image: Sharp): Promise<Buffer> {
  return image.resize(24, 24, { fit: 'fill' }).greyscale().raw().toBuffer()
}
const distance = (a: Buffer, b: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length

async function snapshot() {
  const [r] = await t.db.select({ n: count() }).from(reports)
  const [p] = await t.db.select({ n: count() }).from(photos)
  const [e] = await t.db.select({ n: count() }).from(events)
  return { reports: r!.n, photos: p!.n, events: e!.n, files: filesUnder(t.config.photoDir).length }
}

describe('POST /api/reports with photos', () => {
  it('strips every trace of metadata from a photo with GPS coordinates', async () => {
    const original = fixture('gps_DSCN0010.jpg')
    expect((await exifr.gps(original))?.latitude, 'the fixture carries a GPS position').toBeTypeOf('number')

    const res = await submit([jpeg('gps_DSCN0010.jpg')])

    expect(res.statusCode).toBe(201)
    expect(res.json().photoCount).toBe(1)
    const [photo] = await photosOf(res.json().reference)
    for (const key of [photo!.storageKey, photo!.thumbKey]) {
      const data = await stored(key)
      const meta = await sharp(data).metadata()
      expect(meta.format).toBe('webp')
      expect([meta.exif, meta.xmp, meta.iptc, meta.icc, meta.orientation]).toEqual([undefined, undefined, undefined, undefined, undefined])
      expect(metadataMarkersIn(data)).toEqual([])
      expect(webpChunks(data).every((c) => c === 'VP8 ' || c === 'VP8L' || c === 'VP8X' || c === 'ALPH')).toBe(true)
      // exifr cannot parse WebP at all; what it can say is that it finds nothing.
      expect(await exifr.parse(data, { gps: true, xmp: true, iptc: true, icc: true }).catch(() => undefined)).toBeUndefined()
    }
    expect(photo).toMatchObject({ width: 640, height: 480 })
  })

  it.each([
    ['orientation_landscape_6.jpg', 90],
    ['orientation_portrait_8.jpg', 270],
  ])('turns %s upright by its EXIF orientation', async (name, angle) => {
    const original = fixture(name)
    const storedPixels = await sharp(original).raw().toBuffer({ resolveWithObject: true })
    const asStored = () => sharp(storedPixels.data, { raw: { width: storedPixels.info.width, height: storedPixels.info.height, channels: storedPixels.info.channels } })

    const res = await submit([jpeg(name)])

    expect(res.statusCode).toBe(201)
    const [photo] = await photosOf(res.json().reference)
    const data = await stored(photo!.storageKey)
    const meta = await sharp(data).metadata()
    // The pixels are stored sideways; upright, width and height swap.
    expect([meta.width, meta.height]).toEqual([storedPixels.info.height, storedPixels.info.width])
    expect(meta.orientation).toBeUndefined()
    const upright = await signature(asStored().rotate(angle))
    const wrong = await signature(asStored().rotate(angle + 180))
    const ours = await signature(sharp(data))
    expect(distance(ours, upright)).toBeLessThan(8)
    expect(distance(ours, wrong)).toBeGreaterThan(distance(ours, upright) * 2)
    const thumb = await sharp(await stored(photo!.thumbKey)).metadata()
    expect(Math.max(thumb.width!, thumb.height!)).toBe(400)
    expect(thumb.height! > thumb.width!).toBe(meta.height! > meta.width!)
  })

  it('accepts an iPhone HEIC photo, upright and stripped', async () => {
    const res = await submit([{ filename: 'IMG_0001.HEIC', type: 'image/heic', data: fixture('mobile_iphone_13_pro_max.HEIC') }])

    expect(res.statusCode).toBe(201)
    const [photo] = await photosOf(res.json().reference)
    // 3024 × 4032 portrait, scaled to fit 2048 px
    expect(photo).toMatchObject({ width: 1536, height: 2048 })
    const data = await stored(photo!.storageKey)
    expect((await sharp(data).metadata()).exif).toBeUndefined()
    expect(metadataMarkersIn(data)).toEqual([])
  })

  it('accepts a HEIF file and several photos in one report', async () => {
    const res = await submit([
      { filename: 'sample.heif', type: 'image/heif', data: fixture('samplefilehub.heif') },
      jpeg('gps_DSCN0010.jpg'),
      { filename: 'a.png', type: 'image/png', data: await sharp(fixture('gps_DSCN0010.jpg')).png().toBuffer() },
      { filename: 'b.webp', type: 'image/webp', data: await sharp(fixture('gps_DSCN0010.jpg')).keepExif().webp().toBuffer() },
    ])

    expect(res.statusCode).toBe(201)
    expect(res.json().photoCount).toBe(4)
    const rows = await photosOf(res.json().reference)
    expect(rows).toHaveLength(4)
    for (const row of rows) expect(metadataMarkersIn(await stored(row.storageKey))).toEqual([])
  })

  it.each([
    ['a corrupt JPEG', () => [jpeg('corrupted.jpg')], 422, 'PHOTO_UNREADABLE'],
    ['a file that is no image', () => [{ filename: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n') }], 422, 'PHOTO_TYPE_UNSUPPORTED'],
    ['a GIF', () => [{ filename: 'a.gif', type: 'image/gif', data: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64') }], 422, 'PHOTO_TYPE_UNSUPPORTED'],
    ['a photo over 15 MB', () => [{ filename: 'big.jpg', type: 'image/jpeg', data: Buffer.concat([fixture('gps_DSCN0010.jpg'), Buffer.alloc(15 * 1024 * 1024)]) }], 413, 'PHOTO_TOO_LARGE'],
    ['six photos', () => Array.from({ length: 6 }, () => jpeg('gps_DSCN0010.jpg')), 413, 'TOO_MANY_PHOTOS'],
    ['a good photo beside a corrupt one', () => [jpeg('gps_DSCN0010.jpg'), jpeg('corrupted.jpg')], 422, 'PHOTO_UNREADABLE'],
  ])('refuses %s and stores nothing of the report', async (_name, files, status, code) => {
    const before = await snapshot()

    const res = await submit(files(), 'fr')

    expect(res.statusCode).toBe(status)
    expect(res.json()).toMatchObject({ code, message: fr.errors[code as keyof typeof fr.errors] })
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a pixel flood from its header', async () => {
    const before = await snapshot()
    const flood = await pixelFloodPng(17000, 17000)

    const res = await submit([{ filename: 'flood.png', type: 'image/png', data: flood }])

    expect(res.statusCode).toBe(422)
    expect(res.json().code).toBe('PHOTO_TOO_MANY_PIXELS')
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a multipart submission without its report field', async () => {
    const { payload, headers } = multipart({}, [jpeg('gps_DSCN0010.jpg')])
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload, headers })

    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('VALIDATION_FAILED')
  })

  it('checks the report field of a multipart submission like a JSON body', async () => {
    const { payload, headers } = multipart({ report: JSON.stringify({ ...report, category: 'nope' }) }, [])
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload, headers })

    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: '/category' })] })
  })

  it('removes the photo files of a submission whose transaction fails', async () => {
    // Two copies of one submission race; the loser's transaction hits the idempotency key and rolls back.
    const send = () => {
      const { payload, headers } = multipart({ report: JSON.stringify(report) }, [jpeg('orientation_portrait_8.jpg')])
      return t.app.inject({ method: 'POST', url: '/api/reports', payload, headers: { ...headers, 'idempotency-key': 'racing-photo-submission' } })
    }
    const before = await snapshot()

    const [a, b] = await Promise.all([send(), send()])

    expect(b!.json()).toEqual(a!.json())
    expect(await snapshot()).toEqual({ reports: before.reports + 1, photos: before.photos + 1, events: before.events + 1, files: before.files + 2 })
  })

  it('answers a retried multipart submission with the first answer', async () => {
    const send = () => {
      const { payload, headers } = multipart({ report: JSON.stringify(report) }, [jpeg('gps_DSCN0010.jpg')])
      return t.app.inject({ method: 'POST', url: '/api/reports', payload, headers: { ...headers, 'idempotency-key': 'photo-retry-000001' } })
    }
    const first = await send()
    const before = await snapshot()
    const retry = await send()

    expect(retry.json()).toEqual(first.json())
    expect(await snapshot()).toEqual(before)
  })
})
