import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import type { Db } from '../../../server/src/db/connect.js'
import { reports, reportUpdates, type NewReport, type Photo, type Report, type ReportUpdate } from '../../../server/src/db/schema.js'
import { processPhoto } from '../../../server/src/modules/photos/pipeline.js'
import { recordPhotos, storePhotos } from '../../../server/src/modules/photos/service.js'
import { LocalPhotoStorage } from '../../../server/src/modules/photos/storage.js'
import { photos } from '../../../server/src/db/schema.js'

let sequence = 0

/** A report row inserted directly (no intake): moderation and the public side read only the table. */
export async function aReport(db: Db, overrides: Partial<NewReport> = {}): Promise<Report> {
  const [row] = await db.insert(reports).values({
    reference: `NB-T-${randomBytes(4).toString('hex')}-${++sequence}`,
    category: 'nuisance',
    description: 'Elke avond lawaai van brommers op het pleintje achter de school.',
    language: 'nl',
    anonymous: true,
    queue: 'zone',
    routingReason: 'test',
    promisedResponseHours: 72,
    lat: 50.8275,
    lon: 4.3721,
    ...overrides,
  }).returning()
  return row!
}

export async function anUpdate(db: Db, reportId: number, overrides: Partial<typeof reportUpdates.$inferInsert> = {}): Promise<ReportUpdate> {
  const [row] = await db.insert(reportUpdates).values({
    reportId,
    author: 'staff',
    visibility: 'public',
    kind: 'message',
    text: 'We hebben extra patrouilles ingepland.',
    language: 'nl',
    ...overrides,
  }).returning()
  return row!
}

export const fixture = (name: string) => readFileSync(new URL(`../../../../shared/fixtures/photos/${name}`, import.meta.url))

/** A real photo through the real pipeline (decoded, stripped, re-encoded), stored where the app reads photos. */
export async function aPhoto(db: Db, photoDir: string, owner: { reportId: number; updateId?: number | null }, name = 'gps_DSCN0010.jpg'): Promise<Photo> {
  const storage = new LocalPhotoStorage(photoDir)
  const [stored] = await storePhotos(storage, [await processPhoto(fixture(name))])
  await recordPhotos(db, [stored!], owner)
  const [row] = await db.select().from(photos).where(eq(photos.id, stored!.id))
  return row!
}

export async function reload(db: Db, id: number): Promise<Report> {
  const [row] = await db.select().from(reports).where(eq(reports.id, id))
  return row!
}
