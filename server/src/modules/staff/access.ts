import { and, eq, gt, isNull, lte, or } from 'drizzle-orm'
import type { EventType } from '@nabij/shared/domain/events'
import type { Db } from '../../db/connect.js'
import { staffUsers, zoneOfficers, type Report } from '../../db/schema.js'
import type { StaffPrincipal } from './sessions.js'

/**
 * Who may see which report, and whose contact data: decided here and nowhere else.
 *
 * - officer: reports of the zone queue of their active zones, and reports assigned to them. A police-conduct
 *   complaint sits in the oversight queue, so the zone's own officers never see it even though it has their zone.
 * - moderator: none through this rule. They work the review queue (moderation module): what residents wrote and
 *   showed, flags, photos to redact, never the staff report page with its internal notes, the officers' private
 *   exchange with the reporter or contact data. Their live queue carries `moderationEventTypes` only.
 * - partner / oversight: their queue only ('municipality' / 'oversight'), plus reports assigned to them.
 * - admin: every report, never contact data.
 * Contact data of a named reporter: officers of the report's zone (zone queue) and the staff member it is assigned to.
 */
export type ReportAccessFields = Pick<Report, 'zoneId' | 'queue' | 'assignedStaffId'>

// toLocaleDateString builds a formatter per call (tens of µs); routing asks on every intake.
const brusselsDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' })

/** "Today" for assignments is the Brussels calendar day. */
export function brusselsDate(at: Date = new Date()): string {
  return brusselsDay.format(at)
}

/**
 * Zone ids an officer is assigned to on the day of `at`. `ends_on` is exclusive: a handover ends the outgoing
 * officer's row on the day the successor's begins, so only one of them holds the zone that day.
 */
export async function officerZoneIds(db: Db, staffId: number, at: Date = new Date()): Promise<number[]> {
  const day = brusselsDate(at)
  const rows = await db.selectDistinct({ zoneId: zoneOfficers.zoneId }).from(zoneOfficers)
    .innerJoin(staffUsers, eq(staffUsers.id, zoneOfficers.staffId))
    .where(and(eq(zoneOfficers.staffId, staffId), isNull(staffUsers.disabledAt), activeAssignmentOn(day)))
  return rows.map((r) => r.zoneId)
}

/** SQL condition: the zone_officers row is active on `day` (YYYY-MM-DD). */
export function activeAssignmentOn(day: string) {
  return and(lte(zoneOfficers.startsOn, day), or(isNull(zoneOfficers.endsOn), gt(zoneOfficers.endsOn, day)))
}

export async function staffCanSeeReport(db: Db, staff: Pick<StaffPrincipal, 'id' | 'role'>, report: ReportAccessFields): Promise<boolean> {
  if (report.assignedStaffId === staff.id) return true
  switch (staff.role) {
    case 'admin':
      return true
    case 'moderator':
      return false
    case 'partner':
      return report.queue === 'municipality'
    case 'oversight':
      return report.queue === 'oversight'
    case 'officer':
      return report.queue === 'zone' && report.zoneId !== null && (await officerZoneIds(db, staff.id)).includes(report.zoneId)
  }
}

/** What a moderator's live queue hears of: reports and replies entering or leaving the review queue. */
export const moderationEventTypes: ReadonlySet<EventType> = new Set(['report.filed', 'report.reporter_replied', 'report.moderated', 'report.merged'])

export async function staffCanSeeContact(db: Db, staff: Pick<StaffPrincipal, 'id' | 'role'>, report: ReportAccessFields): Promise<boolean> {
  if (staff.role === 'admin' || staff.role === 'moderator') return false
  if (report.assignedStaffId === staff.id) return true
  return staff.role === 'officer' && report.queue === 'zone' && report.zoneId !== null
    && (await officerZoneIds(db, staff.id)).includes(report.zoneId)
}
