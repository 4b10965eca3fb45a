import { inArray, or } from 'drizzle-orm'
import type { Db } from '../../db/connect.js'
import { photos } from '../../db/schema.js'
import type { PhotoStorage } from './storage.js'

/**
 * Only names this module writes (photos/service.ts, moderation's redacted derivatives, and the local store's
 * temporary files): a PHOTO_DIR or bucket shared with anything else loses nothing else.
 */
const photoKey = /^[0-9a-f]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-(full|thumb|public-[0-9a-f]+(-thumb)?)\.webp(\.[0-9a-f]+\.tmp)?$/

export interface SweepResult { checked: number; removed: number }

/**
 * Removes stored photo files that no `photos` row names. Files are written before their report's transaction
 * commits, so a process killed in between (kill -9, power loss) leaves files without a row. Files younger than
 * `graceMs` are kept: on another instance their transaction may still be running.
 */
export async function sweepOrphanPhotos(db: Db, storage: PhotoStorage, options: { graceMs: number; now?: Date; batch?: number }): Promise<SweepResult> {
  const before = (options.now ?? new Date()).getTime() - options.graceMs
  const result: SweepResult = { checked: 0, removed: 0 }
  let candidates: string[] = []
  const flush = async () => {
    const keys = candidates
    candidates = []
    if (keys.length === 0) return
    const rows = await db.select({ a: photos.storageKey, b: photos.thumbKey, c: photos.redactedKey, d: photos.redactedThumbKey }).from(photos)
      .where(or(inArray(photos.storageKey, keys), inArray(photos.thumbKey, keys), inArray(photos.redactedKey, keys), inArray(photos.redactedThumbKey, keys)))
    const named = new Set(rows.flatMap((r) => [r.a, r.b, r.c, r.d]))
    for (const key of keys) {
      if (named.has(key)) continue
      await storage.delete(key)
      result.removed++
    }
  }
  for await (const { key, modifiedAt } of storage.list()) {
    if (!photoKey.test(key) || modifiedAt.getTime() > before) continue
    result.checked++
    candidates.push(key)
    if (candidates.length >= (options.batch ?? 500)) await flush()
  }
  await flush()
  return result
}
