import { eq } from 'drizzle-orm'
import type { StaffTimelineItem } from '@nabij/shared/api/updates'
import type { Db } from '../../db/connect.js'
import { outbox, reports, reportUpdates, type Report, type ReportUpdate } from '../../db/schema.js'
import { recordEvent } from '../realtime/events.js'

export type NewUpdate = typeof reportUpdates.$inferInsert

/** Staff see a timeline entry as stored, with the author's name. */
export function staffItem(row: ReportUpdate, staffName: string | null): StaffTimelineItem {
  return {
    id: row.id,
    author: row.author,
    kind: row.kind,
    visibility: row.visibility,
    cannedKey: row.cannedKey,
    text: row.text,
    language: row.language,
    translations: row.translations ?? {},
    moderationState: row.moderationState,
    createdAt: row.createdAt.toISOString(),
    staffId: row.staffId,
    staffName,
  }
}

export const visibleToReporter = (visibility: string) => visibility === 'public' || visibility === 'reporter'

/** Whether a named reporter asked to hear from us and can still be reached. */
export function mailable(report: Pick<Report, 'anonymous' | 'reporterEmail' | 'contactConsent' | 'contactErasedAt'>): boolean {
  return !report.anonymous && report.contactConsent && report.reporterEmail !== null && report.contactErasedAt === null
}

/**
 * Writes a staff timeline entry and everything that goes with it, in the caller's transaction: the first answer time
 * of the report, the email to a consenting reporter (outbox), and the event. Status rows carry no email of their
 * own; the update that explains a change does.
 */
export async function addStaffUpdate(
  tx: Db,
  report: Report,
  values: Omit<NewUpdate, 'reportId' | 'author'>,
  staffName: string | null,
  now: Date,
): Promise<{ row: ReportUpdate; item: StaffTimelineItem }> {
  const [row] = await tx.insert(reportUpdates).values({
    ...values,
    reportId: report.id,
    author: 'staff',
    // Staff words are not moderated; the state says where they may be shown.
    moderationState: values.visibility === 'public' ? 'published_original' : 'private',
    createdAt: now,
  }).returning()
  const item = staffItem(row!, staffName)
  if (visibleToReporter(row!.visibility) && row!.kind !== 'status') {
    if (report.firstPublicAnswerAt === null) {
      await tx.update(reports).set({ firstPublicAnswerAt: now }).where(eq(reports.id, report.id))
      report.firstPublicAnswerAt = now
    }
    if (mailable(report)) await tx.insert(outbox).values({ kind: 'email.report_update', payload: { reportId: report.id, updateId: row!.id } })
  }
  if (row!.kind !== 'status') {
    await recordEvent(tx, { type: 'report.update_posted', reportId: report.id, zoneId: report.zoneId, payload: { update: item } })
  }
  return { row: row!, item }
}
