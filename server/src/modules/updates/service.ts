import { and, asc, eq } from 'drizzle-orm'
import type { PostUpdateBody, StaffTimelineItem, StaffTimelineReply, Translations } from '@nabij/shared/api/updates'
import type { Db } from '../../db/connect.js'
import { reportUpdates, staffUsers } from '../../db/schema.js'
import { QuestionVisibilityInvalid, TransitionNotAllowed, UpdateNotFound, ValidationFailed } from '../../errors.js'
import type { StaffPrincipal } from '../../plugins/auth.js'
import { audit } from '../audit/service.js'
import { recordEvent } from '../realtime/events.js'
import { applyTransition, cleanTranslations, findVisibleReport, lockWorkableReport } from '../workflow/service.js'
import { addStaffUpdate, staffItem } from './timeline.js'

/**
 * An officer's update: canned or free text, public, for the reporter only, or an internal note. A question goes to
 * the reporter only and may set the report waiting for their answer.
 */
export async function postUpdate(db: Db, staff: StaffPrincipal, reference: string, body: PostUpdateBody, now = new Date()): Promise<StaffTimelineItem> {
  if (body.question && body.visibility !== 'reporter') throw new QuestionVisibilityInvalid()
  if (body.waitForReporter && !body.question) throw new ValidationFailed('only a question waits for the reporter')
  return db.transaction(async (tx) => {
    const report = await lockWorkableReport(tx, staff, reference)
    const content = 'cannedKey' in body
      ? { kind: 'canned' as const, cannedKey: body.cannedKey }
      : { kind: 'message' as const, text: body.text, language: body.language, translations: cleanTranslations(body.translations, body.language) }
    const { row, item } = await addStaffUpdate(tx, report, {
      staffId: staff.id,
      visibility: body.visibility,
      ...content,
      ...(body.question ? { kind: 'question' as const } : {}),
    }, staff.displayName, now)
    if (body.waitForReporter && report.status !== 'waiting_for_reporter') {
      if (report.status === 'closed') throw new TransitionNotAllowed('closed', 'waiting_for_reporter')
      const actor = { by: 'staff' as const, staffId: staff.id, staffName: staff.displayName }
      // "new" cannot wait directly: asking is acknowledging, so the report passes through "acknowledged".
      if (report.status === 'new') await applyTransition(tx, report, 'acknowledged', null, actor, now)
      await applyTransition(tx, report, 'waiting_for_reporter', null, actor, now, { questionId: row.id })
    }
    await audit(tx, { staffId: staff.id, action: 'report.update_posted', targetType: 'report_update', targetId: row.id, reportId: report.id, detail: { visibility: row.visibility, kind: row.kind } })
    return item
  })
}

/** Adds or replaces the officer's translations of a free-text staff update; the original stays as written. */
export async function setTranslations(db: Db, staff: StaffPrincipal, reference: string, updateId: number, translations: Translations): Promise<StaffTimelineItem> {
  return db.transaction(async (tx) => {
    const report = await lockWorkableReport(tx, staff, reference)
    const [row] = await tx.select().from(reportUpdates).where(and(eq(reportUpdates.id, updateId), eq(reportUpdates.reportId, report.id)))
    if (!row || row.author !== 'staff' || row.text === null || row.language === null) throw new UpdateNotFound(String(updateId))
    const merged = { ...row.translations, ...cleanTranslations(translations, row.language) }
    const [updated] = await tx.update(reportUpdates).set({ translations: merged }).where(eq(reportUpdates.id, updateId)).returning()
    const [author] = row.staffId === null ? [] : await tx.select({ name: staffUsers.displayName }).from(staffUsers).where(eq(staffUsers.id, row.staffId))
    const item = staffItem(updated!, author?.name ?? null)
    await audit(tx, { staffId: staff.id, action: 'report.update_translated', targetType: 'report_update', targetId: updateId, reportId: report.id, detail: { languages: Object.keys(translations) } })
    // Same event type: clients replace the entry with this id.
    await recordEvent(tx, { type: 'report.update_posted', reportId: report.id, zoneId: report.zoneId, payload: { update: item, edited: true } })
    return item
  })
}

/** The whole timeline for staff, internal notes and the reporter's replies included, oldest first. */
export async function staffTimeline(db: Db, staff: StaffPrincipal, reference: string): Promise<StaffTimelineReply> {
  const report = await findVisibleReport(db, staff, reference)
  const rows = await db.select({ update: reportUpdates, staffName: staffUsers.displayName }).from(reportUpdates)
    .leftJoin(staffUsers, eq(staffUsers.id, reportUpdates.staffId))
    .where(eq(reportUpdates.reportId, report.id))
    .orderBy(asc(reportUpdates.id))
  return { items: rows.map((r) => staffItem(r.update, r.staffName)) }
}
