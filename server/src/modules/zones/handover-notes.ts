import { and, desc, eq, or } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { HandoverNoteView } from '@nabij/shared/api/staff'
import type { Db } from '../../db/connect.js'
import { handoverNotes, staffUsers, zones } from '../../db/schema.js'
import { Forbidden, NotFound } from '../../errors.js'
import { audit } from '../audit/service.js'
import type { StaffPrincipal } from '../staff/sessions.js'

const fromStaff = alias(staffUsers, 'from_staff')
const toStaff = alias(staffUsers, 'to_staff')

function selectNotes(db: Db) {
  return db.select({
    id: handoverNotes.id, zoneId: handoverNotes.zoneId, zoneName: zones.name,
    fromStaffId: handoverNotes.fromStaffId, fromStaffName: fromStaff.displayName,
    toStaffId: handoverNotes.toStaffId, toStaffName: toStaff.displayName,
    note: handoverNotes.note, movedReports: handoverNotes.movedReports, seenAt: handoverNotes.seenAt, createdAt: handoverNotes.createdAt,
  }).from(handoverNotes)
    .innerJoin(zones, eq(zones.id, handoverNotes.zoneId))
    .innerJoin(fromStaff, eq(fromStaff.id, handoverNotes.fromStaffId))
    .innerJoin(toStaff, eq(toStaff.id, handoverNotes.toStaffId))
}

type Row = Awaited<ReturnType<ReturnType<typeof selectNotes>['execute']>>[number]
const toView = (r: Row): HandoverNoteView => ({ ...r, seenAt: r.seenAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() })

/** Handovers the caller wrote or received; an admin sees all of them. */
export async function listHandovers(db: Db, staff: StaffPrincipal): Promise<HandoverNoteView[]> {
  const rows = await selectNotes(db)
    .where(staff.role === 'admin' ? undefined : or(eq(handoverNotes.fromStaffId, staff.id), eq(handoverNotes.toStaffId, staff.id)))
    .orderBy(desc(handoverNotes.createdAt), desc(handoverNotes.id))
  return rows.map(toView)
}

async function findNote(db: Db, id: number): Promise<Row> {
  const [row] = await selectNotes(db).where(eq(handoverNotes.id, id))
  if (!row) throw new NotFound()
  return row
}

export async function getHandover(db: Db, staff: StaffPrincipal, id: number): Promise<HandoverNoteView> {
  const row = await findNote(db, id)
  if (staff.role !== 'admin' && row.fromStaffId !== staff.id && row.toStaffId !== staff.id) throw new Forbidden()
  return toView(row)
}

/** Only the outgoing officer writes the note (key contacts, places, partners, community priorities). */
export async function writeHandoverNote(db: Db, staff: StaffPrincipal, id: number, note: string): Promise<HandoverNoteView> {
  const row = await findNote(db, id)
  if (row.fromStaffId !== staff.id) throw new Forbidden()
  await db.transaction(async (tx) => {
    await tx.update(handoverNotes).set({ note }).where(eq(handoverNotes.id, id))
    await audit(tx, { staffId: staff.id, action: 'handover.note_written', targetType: 'handover', targetId: id, detail: { zoneId: row.zoneId, length: note.length } })
  })
  return toView({ ...row, note })
}

export async function markHandoverSeen(db: Db, staff: StaffPrincipal, id: number): Promise<HandoverNoteView> {
  const row = await findNote(db, id)
  if (row.toStaffId !== staff.id) throw new Forbidden()
  const seenAt = row.seenAt ?? new Date()
  if (!row.seenAt) await db.update(handoverNotes).set({ seenAt }).where(and(eq(handoverNotes.id, id), eq(handoverNotes.toStaffId, staff.id)))
  return toView({ ...row, seenAt })
}
