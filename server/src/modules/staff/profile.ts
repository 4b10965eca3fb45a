import { and, eq, exists, isNotNull, isNull, sql, type SQL } from 'drizzle-orm'
import type { StaffProfile } from '@nabij/shared/api/staff'
import type { Db } from '../../db/connect.js'
import { photos, staffUsers, zoneOfficers, zones } from '../../db/schema.js'
import { NotFound, StaffNotFound } from '../../errors.js'
import { audit } from '../audit/service.js'
import type { ProcessedPhoto } from '../photos/pipeline.js'
import { discardPhotos, storeThumbnailOnly } from '../photos/service.js'
import type { PhotoStorage } from '../photos/storage.js'
import { activeAssignmentOn, brusselsDate } from './access.js'
import type { StaffPrincipal } from './sessions.js'

/**
 * A staff member's own public face: the portrait they upload, replace or remove, and their choice to show it beside
 * their first name on the zone pages. Only they change it (every route acts on the session's own account); an admin
 * sets the first name and the listing, never the photo.
 */

/** Part of the photo's id, so a replaced photo gets a new address and no cache serves the old one. */
const version = (photoId: string) => photoId.slice(0, 8)

/** The public address of a shown officer's photo (see publicOfficerPhoto for when it answers). */
export function publicPhotoUrl(staffId: number, photoId: string): string {
  return `/api/public/officers/${staffId}/photo?v=${version(photoId)}`
}

const ownPhotoUrl = (photoId: string) => `/api/staff/me/photo?v=${version(photoId)}`

/**
 * SQL: residents may see this staff member's photo: they chose to show it, an admin lists them by first name on the
 * zone pages, the account is active and they hold an active zone. The zone page (zones/service.ts) lists exactly them.
 */
function photoShown(db: Db): SQL {
  const today = brusselsDate()
  return and(
    isNotNull(staffUsers.photoId),
    eq(staffUsers.photoPublic, true),
    eq(staffUsers.showOnZonePage, true),
    isNotNull(staffUsers.publicFirstName),
    isNull(staffUsers.disabledAt),
    exists(db.select({ one: sql`1` }).from(zoneOfficers)
      .innerJoin(zones, eq(zones.id, zoneOfficers.zoneId))
      .where(and(eq(zoneOfficers.staffId, staffUsers.id), isNull(zones.retiredAt), activeAssignmentOn(today)))),
  )!
}

export async function staffProfile(db: Db, staffId: number): Promise<StaffProfile> {
  const [row] = await db.select({
    publicFirstName: staffUsers.publicFirstName,
    showOnZonePage: staffUsers.showOnZonePage,
    photoId: staffUsers.photoId,
    photoPublic: staffUsers.photoPublic,
    shown: sql<boolean>`coalesce(${photoShown(db)}, false)`,
  }).from(staffUsers).where(eq(staffUsers.id, staffId))
  if (!row) throw new StaffNotFound(String(staffId))
  return {
    publicFirstName: row.publicFirstName,
    showOnZonePage: row.showOnZonePage,
    photoUrl: row.photoId ? ownPhotoUrl(row.photoId) : null,
    photoPublic: row.photoPublic,
    photoShown: row.shown === true,
  }
}

/** Sets or replaces the caller's photo: the new row and the account in one transaction, the old file after commit. */
export async function setOwnPhoto(db: Db, storage: PhotoStorage, staff: StaffPrincipal, processed: ProcessedPhoto): Promise<StaffProfile> {
  const stored = await storeThumbnailOnly(storage, processed)
  let previous: { storageKey: string; thumbKey: string }[]
  try {
    previous = await db.transaction(async (tx) => {
      const [before] = await tx.select({ photoId: staffUsers.photoId }).from(staffUsers).where(eq(staffUsers.id, staff.id)).for('update')
      if (!before) throw new StaffNotFound(String(staff.id))
      await tx.insert(photos).values({ ...stored, reportId: null, updateId: null })
      await tx.update(staffUsers).set({ photoId: stored.id }).where(eq(staffUsers.id, staff.id))
      const old = before.photoId
        ? await tx.delete(photos).where(eq(photos.id, before.photoId)).returning({ storageKey: photos.storageKey, thumbKey: photos.thumbKey })
        : []
      await audit(tx, { staffId: staff.id, action: before.photoId ? 'staff.photo_replaced' : 'staff.photo_added', targetType: 'staff', targetId: staff.id })
      return old
    })
  } catch (err) {
    await discardPhotos(storage, [stored])
    throw err
  }
  await removeFiles(storage, previous)
  return staffProfile(db, staff.id)
}

/** Removes the caller's photo; the choice to show it goes too, so a later photo is private until they choose again. */
export async function removeOwnPhoto(db: Db, storage: PhotoStorage, staff: StaffPrincipal): Promise<StaffProfile> {
  const removed = await db.transaction(async (tx) => {
    const [before] = await tx.select({ photoId: staffUsers.photoId }).from(staffUsers).where(eq(staffUsers.id, staff.id)).for('update')
    if (!before) throw new StaffNotFound(String(staff.id))
    await tx.update(staffUsers).set({ photoId: null, photoPublic: false }).where(eq(staffUsers.id, staff.id))
    if (!before.photoId) return []
    const old = await tx.delete(photos).where(eq(photos.id, before.photoId)).returning({ storageKey: photos.storageKey, thumbKey: photos.thumbKey })
    await audit(tx, { staffId: staff.id, action: 'staff.photo_removed', targetType: 'staff', targetId: staff.id })
    return old
  })
  await removeFiles(storage, removed)
  return staffProfile(db, staff.id)
}

export async function setPhotoPublic(db: Db, staff: StaffPrincipal, photoPublic: boolean): Promise<StaffProfile> {
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ photoPublic }).where(eq(staffUsers.id, staff.id))
    await audit(tx, { staffId: staff.id, action: 'staff.photo_visibility', targetType: 'staff', targetId: staff.id, detail: { photoPublic } })
  })
  return staffProfile(db, staff.id)
}

/** The caller's own photo, shown or not. */
export async function ownPhoto(db: Db, storage: PhotoStorage, staffId: number): Promise<Buffer> {
  const [row] = await db.select({ key: photos.thumbKey }).from(staffUsers)
    .innerJoin(photos, eq(photos.id, staffUsers.photoId))
    .where(eq(staffUsers.id, staffId))
  return readOr404(storage, row?.key)
}

/** An officer's photo for residents: only while photoShown holds, else 404, the same as for an id that does not exist. */
export async function publicOfficerPhoto(db: Db, storage: PhotoStorage, staffId: number): Promise<Buffer> {
  const [row] = await db.select({ key: photos.thumbKey }).from(staffUsers)
    .innerJoin(photos, eq(photos.id, staffUsers.photoId))
    .where(and(eq(staffUsers.id, staffId), photoShown(db)))
  return readOr404(storage, row?.key)
}

async function readOr404(storage: PhotoStorage, key: string | undefined): Promise<Buffer> {
  const data = key ? await storage.get(key) : null
  if (!data) throw new NotFound()
  return data
}

/** After commit; a file that cannot be removed now is an orphan the start-up sweep removes (photos/sweep.ts). */
async function removeFiles(storage: PhotoStorage, rows: { storageKey: string; thumbKey: string }[]): Promise<void> {
  const keys = new Set(rows.flatMap((r) => [r.storageKey, r.thumbKey]))
  await Promise.allSettled([...keys].map((key) => storage.delete(key)))
}
