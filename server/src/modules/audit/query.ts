import { and, count, desc, eq, gte, lt } from 'drizzle-orm'
import type { AuditPage, AuditQuery } from '@nabij/shared/api/staff'
import type { Db } from '../../db/connect.js'
import { auditLog, reports, staffUsers } from '../../db/schema.js'

/** The audit log for admins: by report reference, staff member, action and time range, newest first. */
export async function queryAudit(db: Db, query: AuditQuery): Promise<AuditPage> {
  let reportId: number | undefined
  if (query.reference) {
    const [report] = await db.select({ id: reports.id }).from(reports).where(eq(reports.reference, query.reference))
    if (!report) return { items: [], total: 0, page: query.page, pageSize: query.pageSize }
    reportId = report.id
  }
  const where = and(
    reportId !== undefined ? eq(auditLog.reportId, reportId) : undefined,
    query.staffId !== undefined ? eq(auditLog.staffId, query.staffId) : undefined,
    query.action ? eq(auditLog.action, query.action) : undefined,
    query.from ? gte(auditLog.at, new Date(query.from)) : undefined,
    query.to ? lt(auditLog.at, new Date(query.to)) : undefined,
  )
  const [total] = await db.select({ n: count() }).from(auditLog).where(where)
  const rows = await db.select({ entry: auditLog, staffName: staffUsers.displayName, reference: reports.reference }).from(auditLog)
    .leftJoin(staffUsers, eq(staffUsers.id, auditLog.staffId))
    .leftJoin(reports, eq(reports.id, auditLog.reportId))
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
  return {
    items: rows.map(({ entry, staffName, reference }) => ({
      id: entry.id, at: entry.at.toISOString(), staffId: entry.staffId, staffName, action: entry.action, targetType: entry.targetType,
      targetId: entry.targetId, reference, detail: entry.detail,
    })),
    total: total?.n ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  }
}
