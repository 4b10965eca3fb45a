import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { Erasure } from '@nabij/shared/api/followup'
import { statusFamilies } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'
import { auditLog, idempotencyKeys, moderationFlags, photos, reports, reportUpdates, type Report } from '../../db/schema.js'
import { ReportNotFound } from '../../errors.js'
import { audit } from '../audit/service.js'
import type { PhotoStorage } from '../photos/storage.js'
import { cellCentre } from '../stats/diagnosis.js'

/** What replaces a description its reporter erased: no words of theirs, in no language. */
export const erasedText = '—'

const rejectedStates = ['rejected_spam', 'rejected_abuse']
const dayMs = 86_400_000
/** Rows one run handles at most; an hourly job catches up on a backlog without holding a long transaction. */
const batchSize = 500

type PhotoKeys = Pick<typeof photos.$inferSelect, 'storageKey' | 'thumbKey' | 'redactedKey' | 'redactedThumbKey'>

const photoKeyColumns = { storageKey: photos.storageKey, thumbKey: photos.thumbKey, redactedKey: photos.redactedKey, redactedThumbKey: photos.redactedThumbKey }

/**
 * Removes the files of photo rows already deleted. Called after the transaction commits, so a reader never meets a row
 * without its file; a file that cannot be removed now is an orphan the start-up sweep removes (photos/sweep.ts).
 */
export async function removePhotoFiles(storage: PhotoStorage, rows: PhotoKeys[]): Promise<void> {
  const keys = rows.flatMap((r) => [r.storageKey, r.thumbKey, r.redactedKey, r.redactedThumbKey]).filter((k): k is string => !!k)
  await Promise.allSettled(keys.map((key) => storage.delete(key)))
}

/**
 * Erases named reporters' contact data `days` after their report closed: name, e-mail and phone go, `contactErasedAt`
 * says when. A report reopened before then keeps them; nothing else of the report changes, so figures stay the same.
 */
export async function eraseExpiredContacts(tx: Db, days: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - days * dayMs)
  const due = tx.select({ id: reports.id }).from(reports).where(and(
    eq(reports.anonymous, false),
    isNull(reports.contactErasedAt),
    inArray(reports.status, [...statusFamilies.closed]),
    sql`${reports.closedAt} <= ${cutoff}`,
  )).orderBy(reports.id).limit(batchSize)
  const erased = await tx.update(reports)
    .set({ reporterName: null, reporterEmail: null, reporterPhone: null, contactConsent: false, contactErasedAt: now })
    .where(inArray(reports.id, due))
    .returning({ id: reports.id, reference: reports.reference })
  for (const report of erased) {
    await audit(tx, { staffId: null, action: 'report.contact_erased', targetType: 'report', targetId: report.reference, reportId: report.id, detail: { reason: 'retention', days } })
  }
  return erased.length
}

/**
 * Deletes the photo rows of reports and replies that moderation rejected as spam or abuse at least `days` ago, and
 * returns their storage keys for the caller to remove after commit. The decision time is the latest moderation entry
 * of the audit log (the row's own time when none exists, as for seeded data).
 */
export async function deleteRejectedPhotos(tx: Db, days: number, now = new Date()): Promise<PhotoKeys[]> {
  const cutoff = new Date(now.getTime() - days * dayMs)
  const rejectedReports = sql`select r.id from reports r
    where r.moderation_state in (${sql.join(rejectedStates.map((s) => sql`${s}`), sql`, `)})
      and coalesce((select max(a.at) from audit_log a where a.report_id = r.id and a.action = 'report.moderated'), r.updated_at) <= ${cutoff}`
  const rejectedReplies = sql`select u.id from report_updates u
    where u.author = 'reporter' and u.moderation_state in (${sql.join(rejectedStates.map((s) => sql`${s}`), sql`, `)})
      and coalesce((select max(a.at) from audit_log a where a.action = 'reply.moderated' and a.target_type = 'report_update'
        and a.target_id = u.id::text), u.created_at) <= ${cutoff}`
  const due = tx.select({ id: photos.id }).from(photos)
    .where(or(sql`${photos.reportId} in (${rejectedReports})`, sql`${photos.updateId} in (${rejectedReplies})`))
    .orderBy(photos.id).limit(batchSize)
  const deleted = await tx.delete(photos).where(inArray(photos.id, due)).returning({ ...photoKeyColumns, reportId: photos.reportId })
  const byReport = new Map<number, number>()
  for (const row of deleted) if (row.reportId !== null) byReport.set(row.reportId, (byReport.get(row.reportId) ?? 0) + 1)
  for (const [reportId, count] of byReport) {
    await audit(tx, { staffId: null, action: 'report.photos_deleted', targetType: 'report', targetId: reportId, reportId, detail: { reason: 'retention', photos: count, days } })
  }
  return deleted
}

export interface ErasureResult {
  photos: number
  replies: number
}

/**
 * The reporter erases what they wrote and showed: the description becomes `erasedText`, the address text, their
 * replies and every photo they sent are deleted, contact data too, and the exact point is moved to the centre of its
 * ~250 m cell. Category, zone, times, status, moderation state and the officers' own updates stay, so the zone's
 * figures and the diagnosis grid count the report as before. One transaction; the files go after it commits.
 */
export async function eraseReportContent(db: Db, storage: PhotoStorage, reportId: number, now = new Date()): Promise<ErasureResult> {
  const { files, result } = await db.transaction(async (tx) => {
    const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update')
    if (!report) throw new ReportNotFound(String(reportId))
    const replies = tx.select({ id: reportUpdates.id }).from(reportUpdates).where(and(eq(reportUpdates.reportId, reportId), eq(reportUpdates.author, 'reporter')))
    // The reporter's photos: those of the report itself and of their replies, not the officers'.
    const files = await tx.delete(photos)
      .where(and(eq(photos.reportId, reportId), or(isNull(photos.updateId), inArray(photos.updateId, replies))))
      .returning(photoKeyColumns)
    const deletedReplies = await tx.delete(reportUpdates).where(and(eq(reportUpdates.reportId, reportId), eq(reportUpdates.author, 'reporter'))).returning({ id: reportUpdates.id })
    // Automatic flags quote the description they matched.
    await tx.delete(moderationFlags).where(and(eq(moderationFlags.reportId, reportId), isNull(moderationFlags.updateId)))
    await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.reportId, reportId))
    const point = report.lat !== null && report.lon !== null ? cellCentre(report.lat, report.lon) : null
    await tx.update(reports).set({
      description: erasedText,
      addressText: null,
      detectedLanguage: null,
      publicSummary: report.publicSummary === null ? null : erasedText,
      lat: point?.lat ?? null,
      lon: point?.lon ?? null,
      reporterName: null,
      reporterEmail: null,
      reporterPhone: null,
      contactConsent: false,
      contactErasedAt: report.anonymous ? report.contactErasedAt : (report.contactErasedAt ?? now),
      updatedAt: now,
    }).where(eq(reports.id, reportId))
    const result = { photos: files.length, replies: deletedReplies.length }
    await audit(tx, { staffId: null, action: contentErasureAction, targetType: 'report', targetId: report.reference, reportId, detail: { ...result } })
    return { files, result }
  })
  await removePhotoFiles(storage, files)
  return result
}

/** The audit entry of a reporter erasing their report's content. */
export const contentErasureAction = 'report.erased_by_reporter'

/** The audit entries each erasure writes, and what they mean to the reporter. */
const erasureActions: Record<string, Pick<Erasure, 'part' | 'reason'>> = {
  [contentErasureAction]: { part: 'content', reason: 'request' },
  'report.contact_erased': { part: 'contact', reason: 'retention' },
  'report.photos_deleted': { part: 'photos', reason: 'retention' },
}

/**
 * What of a report's own content was erased, why and when (the last time of each kind), read from the audit entries
 * written in the erasing transactions. Only a report bearing a mark of erasure (the neutral description, erased
 * contact data, a rejection whose photos expire) is looked up, so a follow-up view costs no extra query otherwise.
 */
export async function erasuresOf(db: Db, report: Pick<Report, 'id' | 'description' | 'contactErasedAt' | 'moderationState'>): Promise<{ part: Erasure['part']; reason: Erasure['reason']; at: Date }[]> {
  const marked = report.description === erasedText || report.contactErasedAt !== null || rejectedStates.includes(report.moderationState)
  if (!marked) return []
  const rows = await db.select({ action: auditLog.action, at: auditLog.at }).from(auditLog)
    .where(and(eq(auditLog.reportId, report.id), inArray(auditLog.action, Object.keys(erasureActions))))
    .orderBy(asc(auditLog.at), asc(auditLog.id))
  const latest = new Map<string, Date>()
  for (const row of rows) latest.set(row.action, row.at)
  // The contact's own time stamp is the job's clock, which the audit entry's insert time can only approximate.
  if (report.contactErasedAt && latest.has('report.contact_erased')) latest.set('report.contact_erased', report.contactErasedAt)
  return [...latest].map(([action, at]) => ({ ...erasureActions[action]!, at })).sort((a, b) => a.at.getTime() - b.at.getTime())
}
