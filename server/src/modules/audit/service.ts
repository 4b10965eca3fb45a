import type { Db } from '../../db/connect.js'
import { auditLog } from '../../db/schema.js'

export interface AuditEntry {
  staffId: number | null
  action: string
  targetType: string
  targetId?: string | number | null
  reportId?: number | null
  detail?: Record<string, unknown>
}

/** Appends to the audit log; call it in the same transaction as the action it records. */
export async function audit(tx: Db, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    staffId: entry.staffId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId == null ? null : String(entry.targetId),
    reportId: entry.reportId ?? null,
    detail: entry.detail ?? {},
  })
}
