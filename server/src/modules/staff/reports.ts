import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { ContactReply, StaffReportDetail, StaffReportsPage, StaffReportsQuery, StaffTimelineItem } from '@nabij/shared/api/staff'
import { openStatuses, overdueState, type Queue, type QueueSort } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'
import { photos, reports, reportUpdates, routingRules, staffUsers, zones, type Report } from '../../db/schema.js'
import { Forbidden, NotFound, ReportNotFound } from '../../errors.js'
import { audit } from '../audit/service.js'
import { photoRef } from '../photos/service.js'
import { erasuresOf } from '../retention/service.js'
import { officerZoneIds, staffCanSeeContact, staffCanSeeReport } from './access.js'
import type { StaffPrincipal } from './sessions.js'

/**
 * The SQL twin of `staffCanSeeReport` for lists: which reports a role's queue holds. Moderators have no such queue
 * (the routes refuse them; theirs is the moderation module's review queue), so theirs holds nothing.
 */
async function queueScope(db: Db, staff: StaffPrincipal): Promise<SQL | undefined> {
  const mine = eq(reports.assignedStaffId, staff.id)
  switch (staff.role) {
    case 'admin':
      return undefined
    case 'moderator':
      return sql`false`
    case 'partner':
      return or(eq(reports.queue, 'municipality'), mine)
    case 'oversight':
      return or(eq(reports.queue, 'oversight'), mine)
    case 'officer': {
      const zoneIds = await officerZoneIds(db, staff.id)
      return zoneIds.length > 0 ? or(and(eq(reports.queue, 'zone'), inArray(reports.zoneId, zoneIds)), mine) : mine
    }
  }
}

const dueAt = sql`coalesce(${reports.dueAt}, ${reports.createdAt} + make_interval(hours => ${reports.promisedResponseHours}))`

/**
 * Hours taken to the first public answer (or so far) per promised hour: above 1 is overdue, as `overdueState` has it,
 * so the filter and the order agree with the badge on each row.
 */
const lateness = (now: Date) =>
  sql`extract(epoch from (coalesce(${reports.firstPublicAnswerAt}, ${now.toISOString()}::timestamptz) - ${reports.createdAt})) / 3600.0 / ${reports.promisedResponseHours}`

/** The queue's orders, over every page. */
function queueOrder(sort: QueueSort | undefined, now: Date): SQL[] {
  switch (sort) {
    case 'newest':
      return [desc(reports.createdAt), desc(reports.id)]
    case 'overdue':
      return [desc(lateness(now)), asc(reports.createdAt), asc(reports.id)]
    case 'due':
      return [asc(dueAt), asc(reports.createdAt), asc(reports.id)]
    default:
      return [asc(reports.createdAt), asc(reports.id)]
  }
}

export async function listStaffReports(db: Db, staff: StaffPrincipal, query: StaffReportsQuery, now = new Date()): Promise<StaffReportsPage> {
  const where = and(
    await queueScope(db, staff),
    inArray(reports.status, query.status && query.status.length > 0 ? query.status : [...openStatuses]),
    query.category && query.category.length > 0 ? inArray(reports.category, query.category) : undefined,
    query.zoneId !== undefined ? eq(reports.zoneId, query.zoneId) : undefined,
    query.queue !== undefined ? eq(reports.queue, query.queue) : undefined,
    query.overdue === true ? sql`${lateness(now)} > 1` : undefined,
    query.overdue === false ? sql`${lateness(now)} <= 1` : undefined,
  )
  const [total] = await db.select({ n: count() }).from(reports).where(where)
  const rows = await db.select({
    reference: reports.reference, category: reports.category, status: reports.status, description: reports.description,
    anonymous: reports.anonymous, zoneId: reports.zoneId, zoneName: zones.name, queue: reports.queue, assignedStaffId: reports.assignedStaffId,
    moderationState: reports.moderationState, promisedResponseHours: reports.promisedResponseHours, firstPublicAnswerAt: reports.firstPublicAnswerAt,
    dueAt: reports.dueAt, createdAt: reports.createdAt,
  }).from(reports)
    .leftJoin(zones, eq(zones.id, reports.zoneId))
    .where(where)
    .orderBy(...queueOrder(query.sort, now))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
  return {
    items: rows.map((r) => ({
      reference: r.reference,
      category: r.category,
      status: r.status,
      excerpt: r.description.length > 200 ? `${r.description.slice(0, 199)}…` : r.description,
      anonymous: r.anonymous,
      zoneId: r.zoneId,
      zoneName: r.zoneName,
      queue: r.queue,
      assignedStaffId: r.assignedStaffId,
      moderationState: r.moderationState,
      overdue: overdueState(r.createdAt, r.promisedResponseHours, r.firstPublicAnswerAt, now),
      dueAt: r.dueAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
    total: total?.n ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  }
}

/** A report the caller may see, or REPORT_NOT_FOUND / FORBIDDEN. */
export async function reportForStaff(db: Db, staff: StaffPrincipal, reference: string): Promise<Report> {
  const [report] = await db.select().from(reports).where(eq(reports.reference, reference))
  if (!report) throw new ReportNotFound(reference)
  if (!(await staffCanSeeReport(db, staff, report))) throw new Forbidden()
  return report
}

const hasContact = (r: Report) => !r.anonymous && r.contactErasedAt === null && (r.reporterName !== null || r.reporterEmail !== null || r.reporterPhone !== null)

const assignee = alias(staffUsers, 'assignee')

/** The staff view: the routing decision and the whole timeline, internal notes included; never contact data. */
export async function staffReportDetail(db: Db, staff: StaffPrincipal, reference: string, now = new Date()): Promise<StaffReportDetail> {
  const report = await reportForStaff(db, staff, reference)
  const [routing] = await db.select({ zoneName: zones.name, ruleName: routingRules.name, assignedStaffName: assignee.displayName })
    .from(reports)
    .leftJoin(zones, eq(zones.id, reports.zoneId))
    .leftJoin(routingRules, eq(routingRules.id, reports.routingRuleId))
    .leftJoin(assignee, eq(assignee.id, reports.assignedStaffId))
    .where(eq(reports.id, report.id))
  const timeline = await db.select({ update: reportUpdates, staffName: staffUsers.displayName }).from(reportUpdates)
    .leftJoin(staffUsers, eq(staffUsers.id, reportUpdates.staffId))
    .where(eq(reportUpdates.reportId, report.id))
    .orderBy(asc(reportUpdates.id))
  const photoRows = await db.select().from(photos).where(eq(photos.reportId, report.id)).orderBy(asc(photos.createdAt), asc(photos.id))
  return {
    reference: report.reference,
    category: report.category,
    description: report.description,
    language: report.language,
    detectedLanguage: report.detectedLanguage,
    status: report.status,
    closeReason: report.closeReason,
    anonymous: report.anonymous,
    photos: photoRows.map((p) => ({ ...photoRef(p), updateId: p.updateId })),
    hasContact: hasContact(report),
    canSeeContact: hasContact(report) && (await staffCanSeeContact(db, staff, report)),
    location: report.lat !== null && report.lon !== null ? { lat: report.lat, lon: report.lon } : null,
    addressText: report.addressText,
    incidentAt: report.incidentAt?.toISOString() ?? null,
    routing: {
      zoneId: report.zoneId,
      zoneName: routing?.zoneName ?? null,
      queue: report.queue as Queue,
      ruleId: report.routingRuleId,
      ruleName: routing?.ruleName ?? null,
      reason: report.routingReason,
      assignedStaffId: report.assignedStaffId,
      assignedStaffName: routing?.assignedStaffName ?? null,
    },
    moderationState: report.moderationState,
    publicSummary: report.publicSummary,
    promisedResponseHours: report.promisedResponseHours,
    overdue: overdueState(report.createdAt, report.promisedResponseHours, report.firstPublicAnswerAt, now),
    dueAt: report.dueAt?.toISOString() ?? null,
    createdAt: report.createdAt.toISOString(),
    erased: (await erasuresOf(db, report)).map((e) => ({ ...e, at: e.at.toISOString() })),
    timeline: timeline.map(({ update: u, staffName }): StaffTimelineItem => ({
      id: u.id, author: u.author, staffId: u.staffId, staffName, visibility: u.visibility, kind: u.kind, cannedKey: u.cannedKey,
      text: u.text, language: u.language, moderationState: u.moderationState, createdAt: u.createdAt.toISOString(),
    })),
  }
}

/**
 * A named reporter's contact data, for the zone's officers and the assignee only. Every view is written to the
 * audit log in the same transaction as the read; a refused attempt is logged too.
 */
/** Every refusal is audited, also of staff who may not see the report at all. */
export async function staffReportContact(db: Db, staff: StaffPrincipal, reference: string): Promise<ContactReply> {
  const [report] = await db.select().from(reports).where(eq(reports.reference, reference))
  if (!report) throw new ReportNotFound(reference)
  if (!(await staffCanSeeReport(db, staff, report)) || !(await staffCanSeeContact(db, staff, report))) {
    await audit(db, { staffId: staff.id, action: 'report.contact_refused', targetType: 'report', targetId: report.reference, reportId: report.id })
    throw new Forbidden()
  }
  if (!hasContact(report)) throw new NotFound()
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ name: reports.reporterName, email: reports.reporterEmail, phone: reports.reporterPhone, contactConsent: reports.contactConsent })
      .from(reports).where(eq(reports.id, report.id))
    await audit(tx, { staffId: staff.id, action: 'report.contact_viewed', targetType: 'report', targetId: report.reference, reportId: report.id })
    return row!
  })
}
