import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { AssignOfficerBody, HandoverBody, HandoverReply, ZoneOfficerView } from '@nabij/shared/api/zones'
import { openStatuses } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'
import { handoverNotes, reports, reportUpdates, staffUsers, zoneOfficers, zones } from '../../db/schema.js'
import { NotFound, OfficerNotInZone, StaffNotFound, StaffNotOfficer, ZoneNotFound } from '../../errors.js'
import { audit } from '../audit/service.js'
import { recordEvent } from '../realtime/events.js'
import { activeAssignmentOn, brusselsDate } from '../staff/access.js'

/** Staff and system updates need no moderation; this is the state they are written with. */
export const systemUpdateModerationState = 'published_original'

async function assertZone(tx: Db, zoneId: number): Promise<{ id: number; name: string }> {
  const [zone] = await tx.select({ id: zones.id, name: zones.name }).from(zones).where(eq(zones.id, zoneId))
  if (!zone) throw new ZoneNotFound(String(zoneId))
  return zone
}

async function assertOfficer(tx: Db, staffId: number): Promise<{ id: number; displayName: string }> {
  const [staff] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId))
  if (!staff) throw new StaffNotFound(String(staffId))
  if (staff.role !== 'officer' || staff.disabledAt) throw new StaffNotOfficer()
  return staff
}

/** Every assignment of the zone, past and present: the history is never overwritten. */
export async function listZoneOfficers(db: Db, zoneId: number): Promise<ZoneOfficerView[]> {
  await assertZone(db, zoneId)
  const today = brusselsDate()
  const rows = await db.select({
    assignmentId: zoneOfficers.id, staffId: zoneOfficers.staffId, displayName: staffUsers.displayName, primary: zoneOfficers.primary,
    startsOn: zoneOfficers.startsOn, endsOn: zoneOfficers.endsOn,
  }).from(zoneOfficers).innerJoin(staffUsers, eq(staffUsers.id, zoneOfficers.staffId))
    .where(eq(zoneOfficers.zoneId, zoneId))
    .orderBy(asc(zoneOfficers.startsOn), asc(zoneOfficers.id))
  return rows.map((r) => ({ ...r, active: r.startsOn <= today && (r.endsOn === null || r.endsOn > today) }))
}

/** Assigns an officer to a zone; a new primary takes over from the previous one (one primary at a time). */
export async function assignOfficer(db: Db, actorStaffId: number | null, zoneId: number, input: AssignOfficerBody): Promise<ZoneOfficerView[]> {
  await db.transaction(async (tx) => {
    await assertZone(tx, zoneId)
    await assertOfficer(tx, input.staffId)
    const today = brusselsDate()
    const startsOn = input.startsOn ?? today
    if (input.primary) {
      await tx.update(zoneOfficers).set({ primary: false })
        .where(and(eq(zoneOfficers.zoneId, zoneId), eq(zoneOfficers.primary, true), or(isNull(zoneOfficers.endsOn), sql`${zoneOfficers.endsOn} > ${startsOn}`)))
    }
    const [current] = await tx.select().from(zoneOfficers)
      .where(and(eq(zoneOfficers.zoneId, zoneId), eq(zoneOfficers.staffId, input.staffId), activeAssignmentOn(startsOn)))
    if (current) {
      await tx.update(zoneOfficers).set({ primary: input.primary, endsOn: input.endsOn ?? current.endsOn }).where(eq(zoneOfficers.id, current.id))
    } else {
      await tx.insert(zoneOfficers).values({ zoneId, staffId: input.staffId, primary: input.primary, startsOn, endsOn: input.endsOn ?? null })
    }
    await audit(tx, { staffId: actorStaffId, action: 'zone.officer_assigned', targetType: 'zone', targetId: zoneId, detail: { staffId: input.staffId, primary: input.primary, startsOn } })
  })
  return listZoneOfficers(db, zoneId)
}

/** Ends an assignment today (`ends_on` is exclusive, so the officer loses the zone at once). */
export async function endAssignment(db: Db, actorStaffId: number | null, zoneId: number, assignmentId: number): Promise<ZoneOfficerView[]> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(zoneOfficers).where(and(eq(zoneOfficers.id, assignmentId), eq(zoneOfficers.zoneId, zoneId)))
    if (!row) throw new NotFound()
    const today = brusselsDate()
    if (row.endsOn === null || row.endsOn > today) {
      await tx.update(zoneOfficers).set({ endsOn: row.startsOn > today ? row.startsOn : today }).where(eq(zoneOfficers.id, assignmentId))
    }
    await audit(tx, { staffId: actorStaffId, action: 'zone.officer_unassigned', targetType: 'zone', targetId: zoneId, detail: { staffId: row.staffId, assignmentId } })
  })
  return listZoneOfficers(db, zoneId)
}

/**
 * Handover (Greater Manchester's "Community Connect" protocol): the outgoing officer leaves the zone, the successor
 * takes the assignment and the open reports, residents following those reports get a neutral "your officer
 * changed" update, and the outgoing officer's note waits for the successor. Report timelines are not touched, so
 * the successor sees every earlier message. One transaction: a handover never half happens.
 */
export async function handOver(db: Db, actorStaffId: number | null, zoneId: number, input: HandoverBody): Promise<HandoverReply> {
  return db.transaction(async (tx) => {
    const zone = await assertZone(tx, zoneId)
    const successor = await assertOfficer(tx, input.toStaffId)
    if (input.toStaffId === input.fromStaffId) throw new OfficerNotInZone()
    const today = brusselsDate()
    const [outgoing] = await tx.select().from(zoneOfficers)
      .where(and(eq(zoneOfficers.zoneId, zoneId), eq(zoneOfficers.staffId, input.fromStaffId), activeAssignmentOn(today)))
      .orderBy(asc(zoneOfficers.id)).for('update')
    if (!outgoing) throw new OfficerNotInZone()
    await tx.update(zoneOfficers).set({ endsOn: today, primary: outgoing.primary }).where(eq(zoneOfficers.id, outgoing.id))
    const [already] = await tx.select().from(zoneOfficers)
      .where(and(eq(zoneOfficers.zoneId, zoneId), eq(zoneOfficers.staffId, successor.id), activeAssignmentOn(today)))
    if (already) {
      if (outgoing.primary) await tx.update(zoneOfficers).set({ primary: true }).where(eq(zoneOfficers.id, already.id))
    } else {
      await tx.insert(zoneOfficers).values({ zoneId, staffId: successor.id, primary: outgoing.primary, startsOn: today })
    }

    // The outgoing officer's open reports in this zone; a primary officer also held the zone's unassigned ones.
    const moved = await tx.update(reports).set({ assignedStaffId: successor.id, updatedAt: new Date() })
      .where(and(
        eq(reports.zoneId, zoneId),
        inArray(reports.status, [...openStatuses]),
        outgoing.primary
          ? or(eq(reports.assignedStaffId, input.fromStaffId), and(isNull(reports.assignedStaffId), eq(reports.queue, 'zone')))
          : eq(reports.assignedStaffId, input.fromStaffId),
      ))
      .returning({ id: reports.id, reference: reports.reference })

    const [note] = await tx.insert(handoverNotes).values({
      zoneId, fromStaffId: input.fromStaffId, toStaffId: successor.id, note: input.note ?? '', movedReports: moved.length,
    }).returning({ id: handoverNotes.id })

    if (moved.length > 0) {
      await tx.insert(reportUpdates).values(moved.map((r) => ({
        reportId: r.id, author: 'system' as const, visibility: 'reporter' as const, kind: 'system' as const, cannedKey: 'officer_changed',
        moderationState: systemUpdateModerationState,
      })))
    }
    for (const r of moved) {
      await recordEvent(tx, { type: 'report.officer_changed', reportId: r.id, zoneId, payload: { handoverId: note!.id } })
      await audit(tx, { staffId: actorStaffId, action: 'report.reassigned', targetType: 'report', targetId: r.reference, reportId: r.id, detail: { from: input.fromStaffId, to: successor.id, handoverId: note!.id } })
    }
    await audit(tx, {
      staffId: actorStaffId, action: 'zone.handover', targetType: 'zone', targetId: zoneId,
      detail: { zone: zone.name, from: input.fromStaffId, to: successor.id, movedReports: moved.length, handoverId: note!.id },
    })
    return { handoverId: note!.id, movedReports: moved.length, references: moved.map((r) => r.reference) }
  })
}
