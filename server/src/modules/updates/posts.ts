import { and, desc, eq, isNull, lt } from 'drizzle-orm'
import type { NeighbourhoodPost, PostBody, PostList, PostListQuery, PostPatchBody } from '@nabij/shared/api/updates'
import type { Db } from '../../db/connect.js'
import { neighbourhoodPosts, photos, staffUsers, zones } from '../../db/schema.js'
import { Forbidden, NotFound, PostNotFound, ZoneNotFound } from '../../errors.js'
import type { StaffPrincipal } from '../../plugins/auth.js'
import { audit } from '../audit/service.js'
import { enqueuePostAlerts } from '../feeds/subscriptions.js'
import type { ProcessedPhoto } from '../photos/pipeline.js'
import { discardPhotos, storePhotos } from '../photos/service.js'
import type { PhotoStorage } from '../photos/storage.js'
import { recordEvent } from '../realtime/events.js'
import { officerZoneIds } from '../staff/access.js'

type PostRow = typeof neighbourhoodPosts.$inferSelect

/** Officers post for the zones they hold today; administrators for any zone. */
async function mayPostFor(db: Db, staff: StaffPrincipal, zoneId: number): Promise<void> {
  const [zone] = await db.select({ id: zones.id }).from(zones).where(eq(zones.id, zoneId))
  if (!zone) throw new ZoneNotFound(String(zoneId))
  if (staff.role === 'admin') return
  if (staff.role !== 'officer' || !(await officerZoneIds(db, staff.id)).includes(zoneId)) throw new Forbidden()
}

const postColumns = {
  post: neighbourhoodPosts,
  publicFirstName: staffUsers.publicFirstName,
  showOnZonePage: staffUsers.showOnZonePage,
}

function view(row: { post: PostRow; publicFirstName: string | null; showOnZonePage: boolean }, forStaff: boolean): NeighbourhoodPost {
  const { post } = row
  const photoUrl = post.photoId ? `/api/public/zones/${post.zoneId}/posts/${post.id}/photo` : null
  return {
    id: post.id,
    zoneId: post.zoneId,
    title: post.title,
    body: post.body,
    language: post.language,
    photoUrl: photoUrl ? `${photoUrl}/full` : null,
    photoThumbUrl: photoUrl ? `${photoUrl}/thumb` : null,
    // An officer is named to residents only by a first name they chose to show.
    author: row.showOnZonePage ? row.publicFirstName : null,
    publishedAt: post.publishedAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
    ...(forStaff ? { withdrawnAt: post.withdrawnAt?.toISOString() ?? null } : {}),
  }
}

async function loadPost(db: Db, zoneId: number, postId: number) {
  const [row] = await db.select(postColumns).from(neighbourhoodPosts)
    .innerJoin(staffUsers, eq(staffUsers.id, neighbourhoodPosts.staffId))
    .where(and(eq(neighbourhoodPosts.id, postId), eq(neighbourhoodPosts.zoneId, zoneId)))
  if (!row) throw new PostNotFound(String(postId))
  return row
}

/** A photo for a post must be one uploaded for posts: not attached to a report or an update. */
async function checkPhoto(db: Db, photoId: string | null | undefined): Promise<void> {
  if (!photoId) return
  const [photo] = await db.select({ reportId: photos.reportId, updateId: photos.updateId }).from(photos).where(eq(photos.id, photoId))
  if (!photo || photo.reportId !== null || photo.updateId !== null) throw new NotFound()
}

export async function createPost(db: Db, staff: StaffPrincipal, zoneId: number, body: PostBody, now = new Date()): Promise<NeighbourhoodPost> {
  await mayPostFor(db, staff, zoneId)
  await checkPhoto(db, body.photoId)
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(neighbourhoodPosts).values({
      zoneId, staffId: staff.id, title: body.title, body: body.body, language: body.language, photoId: body.photoId ?? null, publishedAt: now, updatedAt: now,
    }).returning({ id: neighbourhoodPosts.id })
    const loaded = await loadPost(tx, zoneId, row!.id)
    await audit(tx, { staffId: staff.id, action: 'zone.post_published', targetType: 'neighbourhood_post', targetId: row!.id, detail: { zoneId } })
    await enqueuePostAlerts(tx, { postId: row!.id, zoneId })
    await recordEvent(tx, { type: 'zone.post_published', zoneId, payload: { post: view(loaded, false) } })
    return view(loaded, true)
  })
}

export async function editPost(db: Db, staff: StaffPrincipal, zoneId: number, postId: number, patch: PostPatchBody, now = new Date()): Promise<NeighbourhoodPost> {
  await mayPostFor(db, staff, zoneId)
  await checkPhoto(db, patch.photoId)
  await db.transaction(async (tx) => {
    const current = await loadPost(tx, zoneId, postId)
    if (current.post.withdrawnAt) throw new PostNotFound(String(postId))
    await tx.update(neighbourhoodPosts).set({ ...patch, updatedAt: now }).where(eq(neighbourhoodPosts.id, postId))
    const post = view(await loadPost(tx, zoneId, postId), false)
    await audit(tx, { staffId: staff.id, action: 'zone.post_updated', targetType: 'neighbourhood_post', targetId: postId, detail: { zoneId, fields: Object.keys(patch) } })
    await recordEvent(tx, { type: 'zone.post_updated', zoneId, payload: { post } })
  })
  return view(await loadPost(db, zoneId, postId), true)
}

/** Withdrawn posts leave the public feed at once and stay visible to staff, with the date. */
export async function withdrawPost(db: Db, staff: StaffPrincipal, zoneId: number, postId: number, now = new Date()): Promise<NeighbourhoodPost> {
  await mayPostFor(db, staff, zoneId)
  await db.transaction(async (tx) => {
    const current = await loadPost(tx, zoneId, postId)
    if (current.post.withdrawnAt) return
    await tx.update(neighbourhoodPosts).set({ withdrawnAt: now, updatedAt: now }).where(eq(neighbourhoodPosts.id, postId))
    await audit(tx, { staffId: staff.id, action: 'zone.post_withdrawn', targetType: 'neighbourhood_post', targetId: postId, detail: { zoneId } })
    await recordEvent(tx, { type: 'zone.post_withdrawn', zoneId, payload: { postId } })
  })
  return view(await loadPost(db, zoneId, postId), true)
}

/** Newest first, paged by id. The public sees published posts only; staff of the zone also the withdrawn ones. */
export async function listPosts(db: Db, zoneId: number, query: PostListQuery, forStaff: boolean): Promise<PostList> {
  const [zone] = await db.select({ id: zones.id }).from(zones).where(eq(zones.id, zoneId))
  if (!zone) throw new ZoneNotFound(String(zoneId))
  const limit = query.limit ?? 20
  const rows = await db.select(postColumns).from(neighbourhoodPosts)
    .innerJoin(staffUsers, eq(staffUsers.id, neighbourhoodPosts.staffId))
    .where(and(
      eq(neighbourhoodPosts.zoneId, zoneId),
      forStaff ? undefined : isNull(neighbourhoodPosts.withdrawnAt),
      query.before ? lt(neighbourhoodPosts.id, query.before) : undefined,
    ))
    .orderBy(desc(neighbourhoodPosts.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  return { items: page.map((r) => view(r, forStaff)), nextBefore: rows.length > limit ? page[page.length - 1]!.post.id : null }
}

export async function listStaffPosts(db: Db, staff: StaffPrincipal, zoneId: number, query: PostListQuery): Promise<PostList> {
  await mayPostFor(db, staff, zoneId)
  return listPosts(db, zoneId, query, true)
}

/** Stores a processed photo for a post to come; it is public only once a published post names it. */
export async function storePostPhoto(db: Db, staff: StaffPrincipal, zoneId: number, storage: PhotoStorage, processed: ProcessedPhoto): Promise<{ photoId: string }> {
  await mayPostFor(db, staff, zoneId)
  const [stored] = await storePhotos(storage, [processed])
  try {
    await db.insert(photos).values({ ...stored!, reportId: null, updateId: null })
  } catch (err) {
    await discardPhotos(storage, [stored!])
    throw err
  }
  return { photoId: stored!.id }
}

/** The storage key of a published post's photo, or null: a withdrawn post's photo is gone from public view. */
export async function publicPostPhoto(db: Db, zoneId: number, postId: number, variant: 'full' | 'thumb'): Promise<string | null> {
  const [row] = await db.select({ storageKey: photos.storageKey, thumbKey: photos.thumbKey }).from(neighbourhoodPosts)
    .innerJoin(photos, eq(photos.id, neighbourhoodPosts.photoId))
    .where(and(eq(neighbourhoodPosts.id, postId), eq(neighbourhoodPosts.zoneId, zoneId), isNull(neighbourhoodPosts.withdrawnAt)))
  if (!row) return null
  return variant === 'full' ? row.storageKey : row.thumbKey
}
