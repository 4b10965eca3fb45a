import { randomBytes } from 'node:crypto'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type {
  AddFlagBody, Flag, MergeBody, ModerationPhoto, ModerationQueue, ModerationQueueQuery, ModerationReply, ModerationReport, Rectangle,
  ReplyDecision, ReportDecision, ReportDecisionBody,
} from '@nabij/shared/api/moderation'
import type { Category } from '@nabij/shared/domain/categories'
import type { ModerationState, Status } from '@nabij/shared/domain/statuses'
import { groupOf, type FlagKind } from '@nabij/shared/moderation/flags'
import type { Db } from '../../db/connect.js'
import { auditLog, moderationFlags, photos, reports, reportUpdates, staffUsers, zones, type Photo } from '../../db/schema.js'
import { FlagNotRemovable, MergeInvalid, NotFound, PassageNotFound, PhotoNotFound, ReportMerged, ReportNotFound, StorageUnavailable, SummaryRequired, UpdateNotFound } from '../../errors.js'
import { audit } from '../audit/service.js'
import type { PhotoStorage } from '../photos/storage.js'
import { recordEvent } from '../realtime/events.js'
import { contentErasureAction, erasedText } from '../retention/service.js'
import { redactImage } from './redaction.js'

/** Who decides: a moderator (or an admin); every decision carries their id into the audit log. */
export interface Moderator {
  id: number
}

const decisionStates: Record<ReportDecision, ModerationState> = {
  publish_summary: 'published_summary',
  publish_original: 'published_original',
  keep_private: 'private',
  reject_spam: 'rejected_spam',
  reject_abuse: 'rejected_abuse',
}
const replyStates: Record<ReplyDecision, ModerationState> = { accept: 'private', reject_spam: 'rejected_spam', reject_abuse: 'rejected_abuse' }

// ---------------------------------------------------------------------------------------------------------- reading

const related = alias(reports, 'related')
const flagger = alias(staffUsers, 'flagger')

async function flagsOf(db: Db, reportIds: number[]): Promise<(Flag & { reportId: number; updateId: number | null })[]> {
  if (reportIds.length === 0) return []
  const rows = await db.select({ flag: moderationFlags, relatedReference: related.reference, flaggedBy: flagger.displayName }).from(moderationFlags)
    .leftJoin(related, eq(related.id, moderationFlags.relatedReportId))
    .leftJoin(flagger, eq(flagger.id, moderationFlags.flaggedBy))
    .where(inArray(moderationFlags.reportId, reportIds))
    .orderBy(asc(moderationFlags.start), asc(moderationFlags.id))
  return rows.map(({ flag, relatedReference, flaggedBy }) => ({
    id: flag.id,
    reportId: flag.reportId,
    updateId: flag.updateId,
    kind: flag.kind as FlagKind,
    group: groupOf(flag.kind as FlagKind),
    reason: flag.reason,
    start: flag.start,
    end: flag.end,
    match: flag.match,
    relatedReference: relatedReference ?? null,
    flaggedBy: flag.flaggedBy === null ? null : (flaggedBy ?? ''),
    details: flag.details,
  }))
}

const stripOwner = ({ reportId: _r, updateId: _u, ...flag }: Flag & { reportId: number; updateId: number | null }): Flag => flag

export function moderationPhoto(photo: Photo): ModerationPhoto {
  const base = `/api/staff/moderation/photos/${photo.id}`
  return {
    id: photo.id,
    width: photo.width,
    height: photo.height,
    url: `${base}/full`,
    thumbUrl: `${base}/thumb`,
    redacted: photo.redactedKey !== null,
    redactions: photo.redactions ?? null,
    redactedUrl: photo.redactedKey ? `${base}/redacted` : null,
    redactedThumbUrl: photo.redactedKey ? `${base}/redacted_thumb` : null,
  }
}

async function photosOf(db: Db, reportIds: number[]): Promise<Photo[]> {
  if (reportIds.length === 0) return []
  return db.select().from(photos).where(inArray(photos.reportId, reportIds)).orderBy(asc(photos.createdAt), asc(photos.id))
}

/** Reports as moderators see them: words, photos and flags; no column of the reporter's identity is even selected. */
async function moderationReports(db: Db, ids: number[]): Promise<ModerationReport[]> {
  if (ids.length === 0) return []
  const survivor = alias(reports, 'survivor')
  const rows = await db.select({
    id: reports.id,
    reference: reports.reference,
    category: reports.category,
    description: reports.description,
    language: reports.language,
    detectedLanguage: reports.detectedLanguage,
    zoneId: zones.id,
    zoneName: zones.name,
    status: reports.status,
    moderationState: reports.moderationState,
    publicSummary: reports.publicSummary,
    duplicateOf: survivor.reference,
    createdAt: reports.createdAt,
    flaggedAt: reports.flaggedAt,
  }).from(reports)
    .leftJoin(zones, eq(zones.id, reports.zoneId))
    .leftJoin(survivor, eq(survivor.id, reports.duplicateOfId))
    .where(inArray(reports.id, ids))
  const flags = await flagsOf(db, ids)
  const reportPhotos = await photosOf(db, ids)
  const erasedAt = await contentErasedAt(db, rows.filter((r) => r.description === erasedText).map((r) => r.id))
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    return [{
      type: 'report' as const,
      id: r.id,
      reference: r.reference,
      category: r.category as Category,
      description: r.description,
      language: r.language,
      detectedLanguage: r.detectedLanguage,
      zone: r.zoneId === null ? null : { id: r.zoneId, name: r.zoneName! },
      status: r.status as Status,
      moderationState: r.moderationState as ModerationState,
      publicSummary: r.publicSummary,
      duplicateOf: r.duplicateOf ?? null,
      createdAt: r.createdAt.toISOString(),
      flaggedAt: r.flaggedAt?.toISOString() ?? null,
      flags: flags.filter((f) => f.reportId === id && f.updateId === null).map(stripOwner),
      photos: reportPhotos.filter((p) => p.reportId === id && p.updateId === null).map(moderationPhoto),
      erasedAt: erasedAt.get(id)?.toISOString() ?? null,
    }]
  })
}

/** When each of these reports' reporters erased its content, from the audit entry the erasing transaction wrote. */
async function contentErasedAt(db: Db, reportIds: number[]): Promise<Map<number, Date>> {
  if (reportIds.length === 0) return new Map()
  const rows = await db.select({ reportId: auditLog.reportId, at: auditLog.at }).from(auditLog)
    .where(and(inArray(auditLog.reportId, reportIds), eq(auditLog.action, contentErasureAction)))
    .orderBy(asc(auditLog.at))
  return new Map(rows.map((r) => [r.reportId!, r.at]))
}

async function moderationReplies(db: Db, ids: number[]): Promise<ModerationReply[]> {
  if (ids.length === 0) return []
  const rows = await db.select({ update: reportUpdates, reference: reports.reference }).from(reportUpdates)
    .innerJoin(reports, eq(reports.id, reportUpdates.reportId))
    .where(and(inArray(reportUpdates.id, ids), eq(reportUpdates.author, 'reporter')))
  const reportIds = [...new Set(rows.map((r) => r.update.reportId))]
  const flags = await flagsOf(db, reportIds)
  const replyPhotos = await photosOf(db, reportIds)
  const byId = new Map(rows.map((r) => [r.update.id, r]))
  return ids.flatMap((id) => {
    const row = byId.get(id)
    if (!row) return []
    const u = row.update
    return [{
      type: 'reply' as const,
      id: u.id,
      reportId: u.reportId,
      reference: row.reference,
      text: u.text,
      language: u.language,
      moderationState: u.moderationState as ModerationState,
      createdAt: u.createdAt.toISOString(),
      flaggedAt: u.flaggedAt?.toISOString() ?? null,
      flags: flags.filter((f) => f.updateId === id).map(stripOwner),
      photos: replyPhotos.filter((p) => p.updateId === id).map(moderationPhoto),
    }]
  })
}

/**
 * The review queue: every pending report and pending resident reply, most flagged first and then newest (or newest
 * first). Officers already work these reports; the queue decides only their public side.
 */
export async function moderationQueue(db: Db, query: ModerationQueueQuery): Promise<ModerationQueue> {
  const branches = []
  if (query.type !== 'reply') {
    branches.push(sql`select 'report' as type, r.id, r.created_at,
      (select count(*) from moderation_flags f where f.report_id = r.id and f.update_id is null)::int as flags
      from reports r where r.moderation_state = 'pending'`)
  }
  if (query.type !== 'report') {
    branches.push(sql`select 'reply' as type, u.id, u.created_at,
      (select count(*) from moderation_flags f where f.update_id = u.id)::int as flags
      from report_updates u where u.author = 'reporter' and u.moderation_state = 'pending'`)
  }
  const union = sql.join(branches, sql` union all `)
  const order = query.sort === 'newest' ? sql`created_at desc, id desc` : sql`flags desc, created_at desc, id desc`
  const page = await db.execute(sql`select type, id from (${union}) q order by ${order}
    limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`) as unknown as { rows: { type: 'report' | 'reply'; id: number | string }[] }
  const counted = await db.execute(sql`select count(*)::int as total from (${union}) q`) as unknown as { rows: { total: number }[] }
  const entries = page.rows.map((r) => ({ type: r.type, id: Number(r.id) }))
  const reportItems = await moderationReports(db, entries.filter((e) => e.type === 'report').map((e) => e.id))
  const replyItems = await moderationReplies(db, entries.filter((e) => e.type === 'reply').map((e) => e.id))
  const items = entries.flatMap((e): ModerationQueue['items'] => (e.type === 'report' ? reportItems.filter((r) => r.id === e.id) : replyItems.filter((r) => r.id === e.id)))
  return { items, page: query.page, pageSize: query.pageSize, total: Number(counted.rows[0]?.total ?? 0) }
}

export async function moderationReport(db: Db, reference: string): Promise<ModerationReport> {
  const [row] = await db.select({ id: reports.id }).from(reports).where(eq(reports.reference, reference))
  const [report] = row ? await moderationReports(db, [row.id]) : []
  if (!report) throw new ReportNotFound(reference)
  return report
}

export async function moderationReplyOf(db: Db, updateId: number): Promise<ModerationReply> {
  const [reply] = await moderationReplies(db, [updateId])
  if (!reply) throw new UpdateNotFound(String(updateId))
  return reply
}

// ------------------------------------------------------------------------------------------------- flagging by hand

/**
 * Where a moderator's passage stands in the text: at `start` when given (the words they selected), else its first
 * occurrence. Offsets are UTF-16, as the automatic flags' and the browser's.
 */
export function passageSpan(text: string, passage: string, start?: number): { start: number; end: number } {
  const at = start === undefined ? text.indexOf(passage) : text.startsWith(passage, start) ? start : -1
  if (at < 0 || passage.trim() === '') throw new PassageNotFound()
  return { start: at, end: at + passage.length }
}

/**
 * A moderator flags a passage the automatic checks missed (a name, hate speech, a threat): stored beside the
 * automatic flags, marked with who set it, so the other moderators see it highlighted in the text and in the queue.
 */
export async function addFlag(db: Db, moderator: Moderator, target: { reference: string } | { updateId: number }, body: AddFlagBody): Promise<void> {
  await db.transaction(async (tx) => {
    let report: { id: number; reference: string; zoneId: number | null }
    let text: string
    let updateId: number | null = null
    if ('reference' in target) {
      const [row] = await tx.select({ id: reports.id, reference: reports.reference, zoneId: reports.zoneId, text: reports.description })
        .from(reports).where(eq(reports.reference, target.reference)).for('no key update')
      if (!row) throw new ReportNotFound(target.reference)
      report = row
      text = row.text
    } else {
      const [row] = await tx.select({ id: reports.id, reference: reports.reference, zoneId: reports.zoneId, text: reportUpdates.text })
        .from(reportUpdates).innerJoin(reports, eq(reports.id, reportUpdates.reportId))
        .where(and(eq(reportUpdates.id, target.updateId), eq(reportUpdates.author, 'reporter'))).for('no key update', { of: reportUpdates })
      if (!row) throw new UpdateNotFound(String(target.updateId))
      report = row
      text = row.text ?? ''
      updateId = target.updateId
    }
    const span = passageSpan(text, body.passage, body.start)
    const note = body.note?.trim() ?? ''
    const [flag] = await tx.insert(moderationFlags).values({
      reportId: report.id,
      updateId,
      kind: body.kind,
      reason: note,
      ...span,
      match: body.passage,
      flaggedBy: moderator.id,
    }).returning({ id: moderationFlags.id })
    await recordEvent(tx, { type: 'report.moderated', reportId: report.id, zoneId: report.zoneId, payload: { flagAdded: flag!.id, ...(updateId ? { updateId } : {}) } })
    await audit(tx, {
      staffId: moderator.id,
      action: 'moderation.flag_added',
      targetType: 'report',
      targetId: report.reference,
      reportId: report.id,
      detail: { flagId: flag!.id, kind: body.kind, ...(updateId ? { updateId } : {}), note },
    })
  })
}

/** Takes back a flag a moderator set by hand; automatic flags stay, as hints the decision answers. */
export async function removeFlag(db: Db, moderator: Moderator, flagId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ flag: moderationFlags, reference: reports.reference, zoneId: reports.zoneId }).from(moderationFlags)
      .innerJoin(reports, eq(reports.id, moderationFlags.reportId))
      .where(eq(moderationFlags.id, flagId)).for('update', { of: moderationFlags })
    if (!row) throw new NotFound()
    if (row.flag.flaggedBy === null) throw new FlagNotRemovable(String(flagId))
    await tx.delete(moderationFlags).where(eq(moderationFlags.id, flagId))
    await recordEvent(tx, { type: 'report.moderated', reportId: row.flag.reportId, zoneId: row.zoneId, payload: { flagRemoved: flagId } })
    await audit(tx, {
      staffId: moderator.id,
      action: 'moderation.flag_removed',
      targetType: 'report',
      targetId: row.reference,
      reportId: row.flag.reportId,
      detail: { flagId, kind: row.flag.kind, match: row.flag.match, flaggedBy: row.flag.flaggedBy },
    })
  })
}

// -------------------------------------------------------------------------------------------------------- deciding

/**
 * Tells the reporter, in their timeline, what became of the public side of their report: a neutral canned text
 * (`moderation.reporter.<state>`, rendered in the reader's language), so nothing is withheld or removed silently.
 */
async function noteForReporter(tx: Db, reportId: number, state: ModerationState): Promise<void> {
  await tx.insert(reportUpdates).values({
    reportId,
    author: 'system',
    visibility: 'reporter',
    kind: 'system',
    cannedKey: `moderation.reporter.${state}`,
    moderationState: 'private',
  })
}

export async function decideReport(db: Db, moderator: Moderator, reference: string, body: ReportDecisionBody): Promise<ModerationReport> {
  const state = decisionStates[body.decision]
  const summary = body.summary?.trim()
  if (body.decision === 'publish_summary' && !summary) throw new SummaryRequired()
  await db.transaction(async (tx) => {
    const [report] = await tx.select().from(reports).where(eq(reports.reference, reference)).for('no key update')
    if (!report) throw new ReportNotFound(reference)
    if (report.moderationState === 'merged') throw new ReportMerged(reference)
    const previous = report.moderationState
    await tx.update(reports).set({
      moderationState: state,
      // The original stays private to staff; only a summary decision keeps a public text of its own.
      publicSummary: body.decision === 'publish_summary' ? summary! : null,
      updatedAt: sql`now()`,
    }).where(eq(reports.id, report.id))
    if (previous !== state) await noteForReporter(tx, report.id, state)
    await recordEvent(tx, { type: 'report.moderated', reportId: report.id, zoneId: report.zoneId, payload: { moderationState: state, previous } })
    await audit(tx, {
      staffId: moderator.id,
      action: 'report.moderated',
      targetType: 'report',
      targetId: reference,
      reportId: report.id,
      detail: { decision: body.decision, from: previous, to: state, reason: body.reason },
    })
  })
  return moderationReport(db, reference)
}

/**
 * Merges a report into the one that survives: the duplicate leaves the public side ('merged', duplicateOfId) and its
 * reporter follows the survivor from then on; reports merged into the duplicate earlier move along, so there is
 * never a chain to follow.
 */
export async function mergeReport(db: Db, moderator: Moderator, reference: string, body: MergeBody): Promise<ModerationReport> {
  if (body.into === reference) throw new MergeInvalid('a report cannot be merged into itself')
  await db.transaction(async (tx) => {
    // Lock both in id order, so two merges of the same pair cannot deadlock.
    const pair = await tx.select().from(reports).where(inArray(reports.reference, [reference, body.into])).orderBy(asc(reports.id)).for('no key update')
    const duplicate = pair.find((r) => r.reference === reference)
    const survivor = pair.find((r) => r.reference === body.into)
    if (!duplicate) throw new ReportNotFound(reference)
    if (!survivor) throw new ReportNotFound(body.into)
    if (duplicate.moderationState === 'merged') throw new ReportMerged(reference)
    if (survivor.moderationState === 'merged') throw new MergeInvalid(`${body.into} was itself merged`)
    await tx.update(reports).set({ moderationState: 'merged', duplicateOfId: survivor.id, publicSummary: null, updatedAt: sql`now()` })
      .where(eq(reports.id, duplicate.id))
    await tx.update(reports).set({ duplicateOfId: survivor.id, updatedAt: sql`now()` }).where(eq(reports.duplicateOfId, duplicate.id))
    await noteForReporter(tx, duplicate.id, 'merged')
    await recordEvent(tx, {
      type: 'report.merged',
      reportId: duplicate.id,
      zoneId: duplicate.zoneId,
      payload: { into: survivor.reference, previous: duplicate.moderationState },
    })
    await audit(tx, {
      staffId: moderator.id,
      action: 'report.merged',
      targetType: 'report',
      targetId: reference,
      reportId: duplicate.id,
      detail: { into: survivor.reference, from: duplicate.moderationState, reason: body.reason },
    })
  })
  return moderationReport(db, reference)
}

/** A resident's reply is never public: moderation accepts it (it stays with the officers) or marks it spam or abuse. */
export async function decideReply(db: Db, moderator: Moderator, updateId: number, decision: ReplyDecision, reason: string): Promise<ModerationReply> {
  const state = replyStates[decision]
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ update: reportUpdates, zoneId: reports.zoneId }).from(reportUpdates)
      .innerJoin(reports, eq(reports.id, reportUpdates.reportId))
      .where(and(eq(reportUpdates.id, updateId), eq(reportUpdates.author, 'reporter')))
      .for('no key update', { of: reportUpdates })
    if (!row) throw new UpdateNotFound(String(updateId))
    const previous = row.update.moderationState
    await tx.update(reportUpdates).set({ moderationState: state }).where(eq(reportUpdates.id, updateId))
    await recordEvent(tx, { type: 'report.moderated', reportId: row.update.reportId, zoneId: row.zoneId, payload: { updateId, moderationState: state, previous } })
    await audit(tx, {
      staffId: moderator.id,
      action: 'reply.moderated',
      targetType: 'report_update',
      targetId: updateId,
      reportId: row.update.reportId,
      detail: { decision, from: previous, to: state, reason },
    })
  })
  return moderationReplyOf(db, updateId)
}

// ------------------------------------------------------------------------------------------------------- redaction

/**
 * Confirms a photo for the public: writes the redacted derivative (the rectangles obscured; none at all is a valid
 * confirmation) and records it. The unredacted image is never touched and stays staff-only. Files are written before
 * the transaction under fresh names and the previous derivative is removed only after commit, so a reader never
 * meets a missing or half-written file.
 */
export async function redactPhoto(db: Db, storage: PhotoStorage, moderator: Moderator, photoId: string, rectangles: Rectangle[]): Promise<ModerationPhoto> {
  const [photo] = await db.select().from(photos).where(eq(photos.id, photoId))
  if (!photo || photo.reportId === null) throw new PhotoNotFound(photoId)
  const original = await storage.get(photo.storageKey).catch(() => null)
  if (!original) throw new StorageUnavailable()
  const redacted = await redactImage(original, rectangles)
  const version = randomBytes(4).toString('hex')
  const keys = { full: `${photoId.slice(0, 2)}/${photoId}-public-${version}.webp`, thumb: `${photoId.slice(0, 2)}/${photoId}-public-${version}-thumb.webp` }
  try {
    await storage.put(keys.full, redacted.full)
    await storage.put(keys.thumb, redacted.thumb)
  } catch {
    await Promise.allSettled([storage.delete(keys.full), storage.delete(keys.thumb)])
    throw new StorageUnavailable()
  }
  let previous: Pick<Photo, 'redactedKey' | 'redactedThumbKey'>
  let updated: Photo
  try {
    ({ previous, updated } = await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(photos).where(eq(photos.id, photoId)).for('no key update')
      if (!locked) throw new PhotoNotFound(photoId)
      const [row] = await tx.update(photos).set({ redactedKey: keys.full, redactedThumbKey: keys.thumb, redactions: rectangles })
        .where(eq(photos.id, photoId)).returning()
      const [report] = await tx.select({ zoneId: reports.zoneId, reference: reports.reference }).from(reports).where(eq(reports.id, locked.reportId!))
      await recordEvent(tx, { type: 'report.moderated', reportId: locked.reportId, zoneId: report?.zoneId ?? null, payload: { photoId, redacted: true } })
      await audit(tx, {
        staffId: moderator.id,
        action: 'photo.redacted',
        targetType: 'photo',
        targetId: photoId,
        reportId: locked.reportId,
        detail: { rectangles: rectangles.length, replaced: locked.redactedKey !== null },
      })
      return { previous: locked, updated: row! }
    }))
  } catch (err) {
    await Promise.allSettled([storage.delete(keys.full), storage.delete(keys.thumb)])
    throw err
  }
  await Promise.allSettled([previous.redactedKey, previous.redactedThumbKey].filter((k): k is string => !!k).map((k) => storage.delete(k)))
  return moderationPhoto(updated)
}

/** The bytes of a photo for moderators: the staff-only original, its thumbnail, or the confirmed public derivative. */
export async function moderationPhotoBytes(db: Db, storage: PhotoStorage, photoId: string, variant: 'full' | 'thumb' | 'redacted' | 'redacted_thumb'): Promise<Buffer> {
  const [photo] = await db.select().from(photos).where(eq(photos.id, photoId))
  const key = !photo ? null
    : variant === 'full' ? photo.storageKey
      : variant === 'thumb' ? photo.thumbKey
        : variant === 'redacted' ? photo.redactedKey : photo.redactedThumbKey
  if (!key) throw new PhotoNotFound(photoId)
  const data = await storage.get(key)
  if (!data) throw new PhotoNotFound(photoId)
  return data
}
