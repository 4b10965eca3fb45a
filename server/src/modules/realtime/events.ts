import { sql } from 'drizzle-orm'
import { notifyChannel, type EventType } from '@nabij/shared/domain/events'
import type { Db } from '../../db/connect.js'
import { events } from '../../db/schema.js'

export interface NewEvent {
  type: EventType
  reportId?: number | null
  zoneId?: number | null
  payload?: Record<string, unknown>
}

/**
 * Writes the event row and announces its id. Call it inside the transaction of the change it describes:
 * PostgreSQL delivers a NOTIFY only when that transaction commits, so listeners never see a rolled-back event.
 * The payload is the id only (NOTIFY payloads are limited to 8,000 bytes).
 */
export async function recordEvent(tx: Db, event: NewEvent): Promise<number> {
  const [row] = await tx.insert(events).values({
    type: event.type,
    reportId: event.reportId ?? null,
    zoneId: event.zoneId ?? null,
    payload: event.payload ?? {},
  }).returning({ id: events.id })
  await tx.execute(sql`select pg_notify(${notifyChannel}, ${String(row!.id)})`)
  return row!.id
}
