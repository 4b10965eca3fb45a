import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { count } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { buildApp } from '../../../server/src/app.js'
import { events, photos, reports } from '../../../server/src/db/schema.js'
import { processPhoto } from '../../../server/src/modules/photos/pipeline.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { filesUnder, fixture, multipart } from '../photos/fixtures.js'

/**
 * The photo store failing under the intake, for real: a tmpfs filled to the last pages (ENOSPC), a read-only mount
 * (EROFS) and a photo dir below a regular file (ENOTDIR). Root ignores chmod, so permissions would prove nothing.
 * Mounting needs root, as the test machines run; without it the test fails and says so.
 */
let t: TestApp
let root: string
const mounts: string[] = []
const apps: FastifyInstance[] = []

function mountTmpfs(dir: string, options: string): void {
  mkdirSync(dir, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (err) {
    throw new Error(`this test mounts a small tmpfs and needs root: ${String((err as { stderr?: Buffer }).stderr ?? err)}`, { cause: err })
  }
  mounts.push(dir)
}

async function appWithPhotoDir(photoDir: string): Promise<FastifyInstance> {
  const app = await buildApp({ ...t.config, photoDir }, t.database)
  apps.push(app)
  return app
}

beforeAll(async () => {
  t = await startApp()
  root = mkdtempSync(join(tmpdir(), 'nabij-storage-fault-'))
})
afterAll(async () => {
  for (const app of apps) await app.close()
  for (const dir of mounts.reverse()) execFileSync('umount', ['-l', dir])
  rmSync(root, { recursive: true, force: true })
  await t.close()
})

const report = { category: 'vandalism', description: 'Bus shelter smashed again', location: { lat: 50.8466, lon: 4.3528 }, anonymous: true }

function submit(app: FastifyInstance, names: string[]) {
  const { payload, headers } = multipart({ report: JSON.stringify(report) }, names.map((name) => ({ filename: name, type: 'image/jpeg', data: fixture(name) })))
  return app.inject({ method: 'POST', url: '/api/reports?lang=fr', payload, headers })
}

async function rows() {
  const [r] = await t.db.select({ n: count() }).from(reports)
  const [p] = await t.db.select({ n: count() }).from(photos)
  const [e] = await t.db.select({ n: count() }).from(events)
  return { reports: r!.n, photos: p!.n, events: e!.n }
}

const pages = (bytes: number) => Math.ceil(bytes / 4096) * 4096

describe('an intake when the photo store fails', () => {
  it('answers 503 STORAGE_UNAVAILABLE on a full disk, removes the photos it had written, and saves nothing', async () => {
    // Room for the first photo's two files and not for the second's: the half that fits must be taken back.
    const [first, second] = await Promise.all(['gps_DSCN0010.jpg', 'gps_DSCN0021.jpg'].map(async (name) => processPhoto(fixture(name))))
    const dir = join(root, 'full')
    mountTmpfs(dir, 'size=2m,mode=0700')
    const photoDir = join(dir, 'photos')
    mkdirSync(join(dir, 'photos'))
    const room = pages(first!.full.byteLength) + pages(first!.thumb.byteLength) + 4096
    expect(pages(second!.full.byteLength)).toBeGreaterThan(4096)
    const { bavail, bsize } = statfsSync(dir)
    writeFileSync(join(dir, 'filler'), Buffer.alloc(bavail * bsize - room))
    const app = await appWithPhotoDir(photoDir)
    const before = await rows()

    const res = await submit(app, ['gps_DSCN0010.jpg', 'gps_DSCN0021.jpg'])

    expect(res.statusCode).toBe(503)
    expect(res.json()).toEqual({ code: 'STORAGE_UNAVAILABLE', message: fr.errors.STORAGE_UNAVAILABLE })
    expect(await rows()).toEqual(before)
    expect(filesUnder(photoDir)).toEqual([])

    // Space freed, the same submission goes through.
    rmSync(join(dir, 'filler'))
    const retried = await submit(app, ['gps_DSCN0010.jpg', 'gps_DSCN0021.jpg'])
    expect(retried.statusCode).toBe(201)
    expect(filesUnder(photoDir)).toHaveLength(4)
  })

  it('answers 503 STORAGE_UNAVAILABLE on a read-only photo volume and saves nothing', async () => {
    const dir = join(root, 'read-only')
    mountTmpfs(dir, 'size=1m,ro')
    const app = await appWithPhotoDir(join(dir, 'photos'))
    const before = await rows()

    const res = await submit(app, ['gps_DSCN0010.jpg'])

    expect(res.statusCode).toBe(503)
    expect(res.json().code).toBe('STORAGE_UNAVAILABLE')
    expect(await rows()).toEqual(before)
  })

  it('answers 503 STORAGE_UNAVAILABLE when the photo dir cannot exist (its parent is a file) and saves nothing', async () => {
    const file = join(root, 'not-a-directory')
    writeFileSync(file, 'x')
    const app = await appWithPhotoDir(join(file, 'photos'))
    const before = await rows()

    const res = await submit(app, ['gps_DSCN0010.jpg'])

    expect(res.statusCode).toBe(503)
    expect(res.json().code).toBe('STORAGE_UNAVAILABLE')
    expect(await rows()).toEqual(before)
  })

  it('still files a report without photos while the photo store is down', async () => {
    const file = join(root, 'still-not-a-directory')
    writeFileSync(file, 'x')
    const app = await appWithPhotoDir(join(file, 'photos'))

    const res = await app.inject({ method: 'POST', url: '/api/reports', payload: report })

    expect(res.statusCode).toBe(201)
  })
})
