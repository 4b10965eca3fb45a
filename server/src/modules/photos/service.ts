import { randomUUID } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import type { FastifyError } from 'fastify'
import type { PhotoRef } from '@nabij/shared/api/followup'
import type { Db } from '../../db/connect.js'
import { photos, reportUpdates, type Photo } from '../../db/schema.js'
import { PhotoTooManyPixels, PhotoTypeUnsupported, PhotoUnreadable, ServiceUnavailable, StorageUnavailable } from '../../errors.js'
import { PhotoProblem, type ProcessedPhoto } from './pipeline.js'
import { PhotoPoolBusy, type PhotoPool } from './pool.js'
import type { PhotoStorage } from './storage.js'

/** A processed photo written to storage, not yet recorded: its row goes into the caller's transaction. */
export interface StoredPhoto {
  id: string
  storageKey: string
  thumbKey: string
  width: number
  height: number
  bytes: number
}

/**
 * Processes every upload of one submission in the pool. All are awaited even when one fails, so no work outlives the
 * request; the first failure is answered with its stable code and the photo's position (1-based).
 */
export async function processUploads(pool: PhotoPool, uploads: Uint8Array[]): Promise<ProcessedPhoto[]> {
  const settled = await Promise.allSettled(uploads.map((data) => pool.process(data)))
  const failed = settled.findIndex((s) => s.status === 'rejected')
  if (failed >= 0) throw uploadError((settled[failed] as PromiseRejectedResult).reason, failed + 1)
  return settled.map((s) => (s as PromiseFulfilledResult<ProcessedPhoto>).value)
}

function uploadError(reason: unknown, position: number): FastifyError {
  if (reason instanceof PhotoPoolBusy) return new ServiceUnavailable()
  if (reason instanceof PhotoProblem) {
    if (reason.code === 'PHOTO_TYPE_UNSUPPORTED') return new PhotoTypeUnsupported(position)
    if (reason.code === 'PHOTO_TOO_MANY_PIXELS') return new PhotoTooManyPixels(position)
  }
  return new PhotoUnreadable(position)
}

/** Writes the derivatives before the transaction commits; on any failure removes what it wrote and answers 503. */
export async function storePhotos(storage: PhotoStorage, processed: ProcessedPhoto[]): Promise<StoredPhoto[]> {
  const stored: StoredPhoto[] = []
  try {
    for (const photo of processed) {
      const id = randomUUID()
      const entry = { id, storageKey: `${id.slice(0, 2)}/${id}-full.webp`, thumbKey: `${id.slice(0, 2)}/${id}-thumb.webp`, width: photo.width, height: photo.height, bytes: photo.full.byteLength }
      stored.push(entry)
      await storage.put(entry.storageKey, photo.full)
      await storage.put(entry.thumbKey, photo.thumb)
    }
  } catch {
    await discardPhotos(storage, stored)
    throw new StorageUnavailable()
  }
  return stored
}

/**
 * Keeps only the 400 px derivative, for small pictures such as a staff portrait: one file, named like a thumbnail so
 * the orphan sweep recognises it. The row (storage and thumb keys both naming that file) goes into the caller's
 * transaction; on a storage failure nothing is left behind and the answer is 503.
 */
export async function storeThumbnailOnly(storage: PhotoStorage, photo: ProcessedPhoto): Promise<StoredPhoto> {
  const id = randomUUID()
  const key = `${id.slice(0, 2)}/${id}-thumb.webp`
  try {
    await storage.put(key, photo.thumb)
  } catch {
    await Promise.allSettled([storage.delete(key)])
    throw new StorageUnavailable()
  }
  return { id, storageKey: key, thumbKey: key, width: photo.thumbWidth, height: photo.thumbHeight, bytes: photo.thumb.byteLength }
}

/** Undoes storePhotos after a failed transaction. Best effort: an orphan file is harmless, a lost report is not. */
export async function discardPhotos(storage: PhotoStorage, stored: StoredPhoto[]): Promise<void> {
  await Promise.allSettled(stored.flatMap((p) => [storage.delete(p.storageKey), storage.delete(p.thumbKey)]))
}

export async function recordPhotos(tx: Db, stored: StoredPhoto[], owner: { reportId: number; updateId?: number | null }): Promise<void> {
  if (stored.length === 0) return
  await tx.insert(photos).values(stored.map((p) => ({ ...p, reportId: owner.reportId, updateId: owner.updateId ?? null })))
}

export function photoRef(photo: Pick<Photo, 'id' | 'width' | 'height'>): PhotoRef {
  return { id: photo.id, width: photo.width, height: photo.height, url: `/api/photos/${photo.id}/full`, thumbUrl: `/api/photos/${photo.id}/thumb` }
}

/** A report's photos that its reporter may see: their own, and those attached to public or reporter-visible updates. */
export async function reporterPhotos(db: Db, reportId: number): Promise<Photo[]> {
  const rows = await db.select({ photo: photos, visibility: reportUpdates.visibility }).from(photos)
    .leftJoin(reportUpdates, eq(reportUpdates.id, photos.updateId))
    .where(eq(photos.reportId, reportId))
    .orderBy(photos.createdAt, photos.id)
  return rows.filter((r) => r.photo.updateId === null || (r.visibility !== null && r.visibility !== 'internal')).map((r) => r.photo)
}

export async function findPhoto(db: Db, id: string): Promise<(Photo & { visibility: string | null }) | null> {
  const [row] = await db.select({ photo: photos, visibility: reportUpdates.visibility }).from(photos)
    .leftJoin(reportUpdates, eq(reportUpdates.id, photos.updateId))
    .where(eq(photos.id, id))
  return row ? { ...row.photo, visibility: row.visibility } : null
}

export async function photosOfUpdates(db: Db, reportId: number, updateIds: number[]): Promise<Photo[]> {
  if (updateIds.length === 0) return []
  return db.select().from(photos).where(and(eq(photos.reportId, reportId), inArray(photos.updateId, updateIds))).orderBy(photos.createdAt, photos.id)
}
