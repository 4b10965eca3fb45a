import { eq } from 'drizzle-orm'
import type { Db } from '../../db/connect.js'
import { reports, zones } from '../../db/schema.js'

/** A report named by reference ("NB-2026-000123") or by id, with the fields that decide who may watch it. */
export async function findReportForLive(db: Db, ref: string | number) {
  const where = typeof ref === 'number' ? eq(reports.id, ref) : /^\d{1,15}$/.test(ref) ? eq(reports.id, Number(ref)) : eq(reports.reference, ref)
  const [row] = await db.select({ id: reports.id, zoneId: reports.zoneId, queue: reports.queue, assignedStaffId: reports.assignedStaffId })
    .from(reports).where(where)
  return row ?? null
}

export async function zoneExists(db: Db, zoneId: number): Promise<boolean> {
  const [row] = await db.select({ id: zones.id }).from(zones).where(eq(zones.id, zoneId))
  return row !== undefined
}
