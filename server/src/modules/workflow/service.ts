import { and, asc, eq, isNull } from 'drizzle-orm'
import type { AnswerBody, AssignBody, DueBody, ReopenBody, ReopenReply, StatusChangeBody, TeamReply, WorkflowState } from '@nabij/shared/api/workflow'
import type { Language } from '@nabij/shared/domain/languages'
import type { Role } from '@nabij/shared/domain/roles'
import { canTransition, overdueState, reopenWindowDays, type CloseReason, type Status } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'
import { reports, reportUpdates, staffUsers, zoneOfficers, type Report } from '../../db/schema.js'
import {
  AssigneeNotInTeam, CloseAnswerRequired, CloseReasonRequired, Forbidden, ReopenWindowPassed, ReportNotFound, TransitionNotAllowed, ValidationFailed,
} from '../../errors.js'
import type { StaffPrincipal } from '../../plugins/auth.js'
import { audit } from '../audit/service.js'
import { recordEvent } from '../realtime/events.js'
import { activeAssignmentOn, brusselsDate, staffCanSeeReport } from '../staff/access.js'
import { addStaffUpdate, staffItem } from '../updates/timeline.js'

/** Roles that work reports (moderators review their public side, through the moderation module). */
export const workRoles: Role[] = ['officer', 'partner', 'oversight', 'admin']

/**
 * The report behind a reference, locked for this transaction, if the staff member may work it. A report they may
 * not see is "not found", so references cannot be probed.
 */
export async function lockWorkableReport(tx: Db, staff: StaffPrincipal, reference: string): Promise<Report> {
  const [report] = await tx.select().from(reports).where(eq(reports.reference, reference)).for('no key update')
  if (!report || !(await staffCanSeeReport(tx, staff, report))) throw new ReportNotFound(reference)
  if (!workRoles.includes(staff.role)) throw new Forbidden()
  return report
}

export async function findVisibleReport(db: Db, staff: StaffPrincipal, reference: string): Promise<Report> {
  const [report] = await db.select().from(reports).where(eq(reports.reference, reference))
  if (!report || !(await staffCanSeeReport(db, staff, report))) throw new ReportNotFound(reference)
  return report
}

export function workflowState(report: Report, now = new Date()): WorkflowState {
  return {
    reference: report.reference,
    status: report.status as Status,
    closeReason: (report.closeReason as CloseReason | null) ?? null,
    assignedStaffId: report.assignedStaffId,
    dueAt: report.dueAt?.toISOString() ?? null,
    promisedResponseHours: report.promisedResponseHours,
    acknowledgedAt: report.acknowledgedAt?.toISOString() ?? null,
    firstPublicAnswerAt: report.firstPublicAnswerAt?.toISOString() ?? null,
    closedAt: report.closedAt?.toISOString() ?? null,
    overdue: overdueState(report.createdAt, report.promisedResponseHours, report.firstPublicAnswerAt, now),
  }
}

/** Locale key naming a status for the timeline; a closed report names its reason, honestly. */
function statusKey(to: Status, closeReason: CloseReason | null): string {
  return to === 'closed' && closeReason ? `close_reason.${closeReason}` : `status.${to}`
}

export interface TransitionActor {
  by: 'staff' | 'reporter'
  staffId: number | null
  staffName: string | null
}

/**
 * Moves a locked report to `to`: the row, a status entry in the timeline and the event, in the caller's transaction.
 * Checks only the transition map; callers check who may do it.
 */
export async function applyTransition(tx: Db, report: Report, to: Status, closeReason: CloseReason | null, actor: TransitionActor, now: Date, extra: Record<string, unknown> = {}): Promise<void> {
  const from = report.status as Status
  if (!canTransition(from, to)) throw new TransitionNotAllowed(from, to)
  const patch: Partial<Report> = { status: to, updatedAt: now }
  if (from === 'new' && report.acknowledgedAt === null) patch.acknowledgedAt = now
  if (to === 'closed') Object.assign(patch, { closeReason, closedAt: now })
  if (from === 'closed') Object.assign(patch, { closeReason: null, closedAt: null })
  await tx.update(reports).set(patch).where(eq(reports.id, report.id))
  Object.assign(report, patch)
  const [row] = await tx.insert(reportUpdates).values({
    reportId: report.id,
    author: actor.by,
    staffId: actor.staffId,
    visibility: 'public',
    kind: 'status',
    cannedKey: statusKey(to, closeReason),
    moderationState: 'published_original',
    createdAt: now,
  }).returning()
  await recordEvent(tx, {
    type: 'report.status_changed',
    reportId: report.id,
    zoneId: report.zoneId,
    payload: { from, to, closeReason, by: actor.by, staffId: actor.staffId, update: staffItem(row!, actor.staffName), ...extra },
  })
}

function answerValues(answer: AnswerBody) {
  if ('cannedKey' in answer) return { kind: 'canned' as const, cannedKey: answer.cannedKey }
  return { kind: 'message' as const, text: answer.text, language: answer.language, translations: cleanTranslations(answer.translations, answer.language) }
}

/** A "translation" into the text's own language is dropped: the original stands. */
export function cleanTranslations(translations: Partial<Record<string, string>> | undefined, language: string): Record<string, string> {
  return Object.fromEntries(Object.entries(translations ?? {}).filter((entry): entry is [string, string] => entry[0] !== language && typeof entry[1] === 'string' && entry[1].trim() !== ''))
}

/**
 * An officer moves a report along. Closing needs a reason and a public answer, written as an update before the
 * status entry, so the reporter reads why in the same moment they read "closed".
 */
export async function changeStatus(db: Db, staff: StaffPrincipal, reference: string, body: StatusChangeBody, now = new Date()): Promise<WorkflowState> {
  const report = await db.transaction(async (tx) => {
    const report = await lockWorkableReport(tx, staff, reference)
    const from = report.status as Status
    if (!canTransition(from, body.status)) throw new TransitionNotAllowed(from, body.status)
    if (body.status === 'closed') {
      if (!body.closeReason) throw new CloseReasonRequired()
      if (!body.answer) throw new CloseAnswerRequired()
    } else if (body.closeReason) {
      throw new ValidationFailed('a close reason belongs to closing only')
    }
    if (body.answer) {
      await addStaffUpdate(tx, report, { staffId: staff.id, visibility: 'public', ...answerValues(body.answer) }, staff.displayName, now)
    }
    await applyTransition(tx, report, body.status, body.closeReason ?? null, { by: 'staff', staffId: staff.id, staffName: staff.displayName }, now)
    await audit(tx, { staffId: staff.id, action: 'report.status_changed', targetType: 'report', targetId: reference, reportId: report.id, detail: { from, to: body.status, closeReason: body.closeReason ?? null } })
    return report
  })
  return workflowState(report, now)
}

/** Who may take a report over: the officers of its zone today (the team), or the staff of its queue's role. */
async function team(db: Db, report: Report): Promise<TeamReply['items']> {
  if (report.queue === 'zone' && report.zoneId !== null) {
    const rows = await db.selectDistinct({ id: staffUsers.id, displayName: staffUsers.displayName, primary: zoneOfficers.primary })
      .from(zoneOfficers)
      .innerJoin(staffUsers, eq(staffUsers.id, zoneOfficers.staffId))
      .where(and(eq(zoneOfficers.zoneId, report.zoneId), eq(staffUsers.role, 'officer'), isNull(staffUsers.disabledAt), activeAssignmentOn(brusselsDate())))
      .orderBy(asc(staffUsers.displayName))
    return rows
  }
  const role = report.queue === 'municipality' ? 'partner' : report.queue === 'oversight' ? 'oversight' : null
  if (!role) return []
  const rows = await db.select({ id: staffUsers.id, displayName: staffUsers.displayName }).from(staffUsers)
    .where(and(eq(staffUsers.role, role), isNull(staffUsers.disabledAt))).orderBy(asc(staffUsers.displayName))
  return rows.map((r) => ({ ...r, primary: false }))
}

export async function reportTeam(db: Db, staff: StaffPrincipal, reference: string): Promise<TeamReply> {
  const report = await findVisibleReport(db, staff, reference)
  return { items: await team(db, report) }
}

export async function assign(db: Db, staff: StaffPrincipal, reference: string, body: AssignBody, now = new Date()): Promise<WorkflowState> {
  const report = await db.transaction(async (tx) => {
    const report = await lockWorkableReport(tx, staff, reference)
    if (body.staffId !== null && !(await team(tx, report)).some((member) => member.id === body.staffId)) throw new AssigneeNotInTeam(String(body.staffId))
    if (report.assignedStaffId === body.staffId) return report
    const fromStaffId = report.assignedStaffId
    await tx.update(reports).set({ assignedStaffId: body.staffId, updatedAt: now }).where(eq(reports.id, report.id))
    report.assignedStaffId = body.staffId
    await audit(tx, { staffId: staff.id, action: 'report.reassigned', targetType: 'report', targetId: reference, reportId: report.id, detail: { fromStaffId, toStaffId: body.staffId } })
    await recordEvent(tx, { type: 'report.reassigned', reportId: report.id, zoneId: report.zoneId, payload: { fromStaffId, toStaffId: body.staffId, by: staff.id } })
    return report
  })
  return workflowState(report, now)
}

export async function setDue(db: Db, staff: StaffPrincipal, reference: string, body: DueBody, now = new Date()): Promise<WorkflowState> {
  const dueAt = body.dueAt === null ? null : new Date(body.dueAt)
  const report = await db.transaction(async (tx) => {
    const report = await lockWorkableReport(tx, staff, reference)
    await tx.update(reports).set({ dueAt, updatedAt: now }).where(eq(reports.id, report.id))
    report.dueAt = dueAt
    await audit(tx, { staffId: staff.id, action: 'report.due_changed', targetType: 'report', targetId: reference, reportId: report.id, detail: { dueAt: body.dueAt } })
    await recordEvent(tx, { type: 'report.due_changed', reportId: report.id, zoneId: report.zoneId, payload: { dueAt: body.dueAt, by: staff.id } })
    return report
  })
  return workflowState(report, now)
}

export async function reportWorkflow(db: Db, staff: StaffPrincipal, reference: string, now = new Date()): Promise<WorkflowState> {
  return workflowState(await findVisibleReport(db, staff, reference), now)
}

/**
 * The reporter reopens a closed report within the window, saying why. The reason joins the timeline as their
 * message (moderated like any reply before it could become public) and the report goes back to "in progress".
 */
export async function reopenByReporter(db: Db, reportId: number, body: ReopenBody, fallbackLanguage: Language, now = new Date()): Promise<ReopenReply> {
  return db.transaction(async (tx) => {
    const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('no key update')
    if (!report) throw new ReportNotFound(String(reportId))
    if (report.status !== 'closed') throw new TransitionNotAllowed(report.status, 'in_progress')
    const closedAt = report.closedAt ?? report.updatedAt
    if (now.getTime() - closedAt.getTime() > reopenWindowDays * 86_400_000) throw new ReopenWindowPassed()
    const [reason] = await tx.insert(reportUpdates).values({
      reportId,
      author: 'reporter',
      visibility: 'reporter',
      kind: 'message',
      text: body.reason,
      language: body.language ?? fallbackLanguage,
      moderationState: 'pending',
      createdAt: now,
    }).returning()
    await applyTransition(tx, report, 'in_progress', null, { by: 'reporter', staffId: null, staffName: null }, now, { reason: staffItem(reason!, null) })
    return { reference: report.reference, status: 'in_progress' as const }
  })
}
