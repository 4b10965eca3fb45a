import { and, asc, eq, gt, ne, sql, type SQL } from 'drizzle-orm'
import { reportsExportColumns, type ReportsExportQuery } from '@nabij/shared/api/stats'
import type { Db } from '../../db/connect.js'
import { reports } from '../../db/schema.js'
import { RangeInvalid } from '../../errors.js'
import { audit } from '../audit/service.js'
import { assertZoneStaff } from '../priorities/service.js'
import { generalise } from '../public/service.js'
import { toHour } from '../reports/followup.js'
import type { StaffPrincipal } from '../staff/sessions.js'
import { assertZone } from '../stats/service.js'
import { timezone } from '../stats/sql.js'
import { csvLine } from './csv.js'

export const exportBatchSize = 2000

type Actor = Pick<StaffPrincipal, 'id' | 'role'>

/**
 * Checks access and records the export in the audit log, then returns the CSV as an async sequence of chunks.
 * Rows are read in keyset-paginated batches (id > last id), so memory stays flat however large the zone: one batch
 * at a time, and the reply stream's back-pressure paces the reads.
 */
export async function exportZoneReports(db: Db, staff: Actor, zoneId: number, query: ReportsExportQuery): Promise<AsyncGenerator<string>> {
  await assertZone(db, zoneId)
  await assertZoneStaff(db, staff, zoneId)
  if (query.from && query.to && query.from > query.to) throw new RangeInvalid()
  const conditions: SQL[] = [eq(reports.zoneId, zoneId), ne(reports.moderationState, 'rejected_spam')]
  // An officer's view of the zone: its own queue. Police-conduct complaints (oversight) and municipal defects stay out.
  if (staff.role !== 'admin') conditions.push(eq(reports.queue, 'zone'))
  if (query.from) conditions.push(sql`${reports.createdAt} >= (${query.from}::date::timestamp at time zone ${timezone})`)
  if (query.to) conditions.push(sql`${reports.createdAt} < ((${query.to}::date + 1)::timestamp at time zone ${timezone})`)
  await audit(db, { staffId: staff.id, action: 'reports.exported', targetType: 'zone', targetId: zoneId, detail: { ...query } })
  return reportRows(db, and(...conditions)!)
}

async function* reportRows(db: Db, where: SQL, batchSize = exportBatchSize): AsyncGenerator<string> {
  yield csvLine(reportsExportColumns)
  let afterId = 0
  for (;;) {
    const rows = await db.select({
      id: reports.id,
      reference: reports.reference,
      category: reports.category,
      status: reports.status,
      closeReason: reports.closeReason,
      queue: reports.queue,
      promisedResponseHours: reports.promisedResponseHours,
      createdAt: reports.createdAt,
      acknowledgedAt: reports.acknowledgedAt,
      firstPublicAnswerAt: reports.firstPublicAnswerAt,
      closedAt: reports.closedAt,
      lat: reports.lat,
      lon: reports.lon,
    }).from(reports).where(and(where, gt(reports.id, afterId))).orderBy(asc(reports.id)).limit(batchSize)
    if (rows.length === 0) return
    let chunk = ''
    for (const r of rows) {
      const place = r.lat === null || r.lon === null ? null : generalise(r.lat, r.lon)
      chunk += csvLine([
        r.reference, r.category, r.status, r.closeReason, r.queue, r.promisedResponseHours,
        toHour(r.createdAt), hour(r.acknowledgedAt), hour(r.firstPublicAnswerAt), hour(r.closedAt), place?.lat, place?.lon,
      ])
    }
    yield chunk
    afterId = rows.at(-1)!.id
  }
}

const hour = (at: Date | null) => (at ? toHour(at) : null)
