import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { PhotoProblem, processPhoto } from '../../../server/src/modules/photos/pipeline.js'
import { PhotoPool, PhotoPoolBusy } from '../../../server/src/modules/photos/pool.js'
import { sniffImageType } from '../../../server/src/modules/photos/sniff.js'
import { LocalPhotoStorage } from '../../../server/src/modules/photos/storage.js'
import { fixture, metadataMarkersIn } from './fixtures.js'

describe('sniffImageType', () => {
  it.each([
    ['gps_DSCN0010.jpg', 'jpeg'],
    ['corrupted.jpg', 'jpeg'],
    ['mobile_iphone_13_pro_max.HEIC', 'heif'],
    ['samplefilehub.heif', 'heif'],
  ])('tells %s by its first bytes', (name, type) => {
    expect(sniffImageType(fixture(name))).toBe(type)
  })

  it('tells PNG and WebP, and refuses what is not a photo we take', async () => {
    const jpeg = await sharp(fixture('gps_DSCN0010.jpg')).resize(32).toBuffer()
    expect(sniffImageType(await sharp(jpeg).png().toBuffer())).toBe('png')
    expect(sniffImageType(await sharp(jpeg).webp().toBuffer())).toBe('webp')
    expect(sniffImageType(await sharp(jpeg).gif().toBuffer())).toBeNull()
    expect(sniffImageType(await sharp(jpeg).avif().toBuffer())).toBeNull()
    expect(sniffImageType(Buffer.from('\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom', 'latin1'))).toBeNull()
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull()
    expect(sniffImageType(Buffer.alloc(3))).toBeNull()
  })
})

describe('processPhoto', () => {
  it('keeps transparency and handles 16-bit PNG', async () => {
    const rgba16 = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 200, g: 10, b: 10, alpha: 0.5 } } }).png().toColourspace('rgb16').toBuffer()

    const photo = await processPhoto(rgba16)

    const meta = await sharp(photo.full).metadata()
    expect([meta.width, meta.height, meta.hasAlpha]).toEqual([300, 200, true])
    const [r, g, b, a] = await sharp(photo.full).raw().toBuffer()
    expect(Math.abs(r! - 200)).toBeLessThan(8)
    expect(g! + b!).toBeLessThan(30)
    expect(Math.abs(a! - 128)).toBeLessThan(8)
  })

  it('converts a CMYK JPEG with its profile to plain sRGB without a profile', async () => {
    const cmyk = await sharp(fixture('gps_DSCN0010.jpg')).toColourspace('cmyk').withIccProfile('cmyk').jpeg().toBuffer()
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk')

    const photo = await processPhoto(cmyk)

    const meta = await sharp(photo.full).metadata()
    expect([meta.space, meta.channels, meta.icc]).toEqual(['srgb', 3, undefined])
    expect(metadataMarkersIn(Buffer.from(photo.full))).toEqual([])
  })

  it('names the problem of a file it refuses', async () => {
    await expect(processPhoto(fixture('corrupted.jpg'))).rejects.toMatchObject({ code: 'PHOTO_UNREADABLE' })
    await expect(processPhoto(fixture('gps_DSCN0010.jpg').subarray(0, 2000))).rejects.toBeInstanceOf(PhotoProblem)
    await expect(processPhoto(Buffer.from('GIF89a-and-more-bytes'))).rejects.toMatchObject({ code: 'PHOTO_TYPE_UNSUPPORTED' })
    const heic = fixture('samplefilehub.heif')
    await expect(processPhoto(heic.subarray(0, 4000))).rejects.toMatchObject({ code: 'PHOTO_UNREADABLE' })
  })
})

describe('PhotoPool', () => {
  const pool = new PhotoPool({ size: 1, perWorker: 1, maxQueue: 1 })
  afterAll(() => pool.close())

  it('processes photos in a worker thread', async () => {
    const photo = await pool.process(fixture('orientation_landscape_6.jpg'))

    expect([photo.type, photo.width, photo.height, photo.thumbWidth, photo.thumbHeight]).toEqual(['jpeg', 600, 450, 400, 300])
  })

  it('refuses work beyond its bounded queue instead of piling it up', async () => {
    const heic = fixture('mobile_iphone_13_pro_max.HEIC')
    const running = pool.process(heic)
    const queued = pool.process(fixture('gps_DSCN0010.jpg'))

    await expect(pool.process(fixture('gps_DSCN0010.jpg'))).rejects.toBeInstanceOf(PhotoPoolBusy)
    expect((await running).type).toBe('heif')
    expect((await queued).type).toBe('jpeg')
    expect(pool.pending).toBe(0)
  })

  it('passes on the stable problem code from the worker', async () => {
    await expect(pool.process(fixture('corrupted.jpg'))).rejects.toMatchObject({ code: 'PHOTO_UNREADABLE' })
  })
})

describe('LocalPhotoStorage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabij-storage-'))
  const storage = new LocalPhotoStorage(dir)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('puts, gets and deletes by key', async () => {
    await storage.put('ab/abc-full.webp', Buffer.from('one'))
    expect((await storage.get('ab/abc-full.webp'))?.toString()).toBe('one')
    await storage.delete('ab/abc-full.webp')
    expect(await storage.get('ab/abc-full.webp')).toBeNull()
    await expect(storage.delete('ab/abc-full.webp')).resolves.toBeUndefined()
  })

  it('refuses keys that leave its directory', async () => {
    for (const key of ['../x.webp', 'ab/../../x.webp', '/etc/passwd', 'ab//x', '']) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow()
    }
  })
})
