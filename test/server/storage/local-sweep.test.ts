import { randomUUID } from 'node:crypto'
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { sweepOrphanPhotos } from '../../../server/src/modules/photos/sweep.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { filesUnder } from '../photos/fixtures.js'
import { aPhoto, aReport } from '../moderation/helpers.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

const hourAgo = new Date(Date.now() - 3_600_000)

/** A file in the photo dir, backdated by an hour: what a process killed before its commit left behind. */
function leftover(key: string, age = hourAgo): string {
  const path = join(t.config.photoDir, key)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, 'x')
  utimesSync(path, age, age)
  return path
}

describe('the orphan photo sweep on disk', () => {
  it('removes old files that no photo row names, temporary files included, and keeps the rest', async () => {
    const photo = await aPhoto(t.db, t.config.photoDir, { reportId: (await aReport(t.db)).id })
    for (const key of [photo.storageKey, photo.thumbKey]) utimesSync(join(t.config.photoDir, key), hourAgo, hourAgo)
    const id = randomUUID()
    const orphans = [leftover(`${id.slice(0, 2)}/${id}-full.webp`), leftover(`${id.slice(0, 2)}/${id}-thumb.webp`), leftover(`${id.slice(0, 2)}/${id}-thumb.webp.9f8e7d6c5b4a.tmp`)]
    const young = randomUUID()
    const recent = leftover(`${young.slice(0, 2)}/${young}-full.webp`, new Date())
    // Anything not named like our photos is not ours to remove, even in the photo dir.
    const foreign = [leftover('pg/PG_VERSION'), leftover('secrets.json'), leftover(`${id.slice(0, 2)}/notes.txt`)]

    const result = await sweepOrphanPhotos(t.db, photoStorage(t.config), { graceMs: 15 * 60_000 })

    expect(result.removed).toBe(3)
    const left = filesUnder(t.config.photoDir)
    for (const path of orphans) expect(left).not.toContain(path)
    for (const path of [recent, ...foreign, join(t.config.photoDir, photo.storageKey), join(t.config.photoDir, photo.thumbKey)]) expect(left).toContain(path)
  })

  it('finds nothing to do in a photo dir that does not exist yet', async () => {
    const config = { ...t.config, photoDir: join(t.config.dataDir, 'never-created') }
    expect(await sweepOrphanPhotos(t.db, photoStorage(config), { graceMs: 0 })).toEqual({ checked: 0, removed: 0 })
  })
})
