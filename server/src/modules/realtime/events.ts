import { sql } from 'drizzle-orm'
import { notifyChannel, type EventType } from '@nabij/shared/domain/events'
import type { Db } from '../../db/connect.js'

export interface NewEvent {
  type: EventType
  reportId?: number | null
  zoneId?: number | null
  payload?: Record<string, unknown>
}

/** Any constant works; it names the one advisory lock that orders event writers. */
const eventOrderLock = 0x6e61626a

/**
 * Bench only: turns the ordering lock and the NOTIFY off, to measure what announcing costs intake. Production never
 * touches it; without the announcement no instance learns of the event until its next poll.
 */
export const eventAnnouncement = { enabled: true }

/**
 * Writes the event row and announces its id. Call it inside the transaction of the change it describes, as its last
 * write: PostgreSQL delivers a NOTIFY only when that transaction commits, so listeners never see a rolled-back event.
 * The payload is the id only (NOTIFY payloads are limited to 8,000 bytes); never put contact data in `payload`.
 *
 * The transaction-scoped advisory lock makes event ids commit in id order: a second writer waits from its event
 * insert until the first commits. PostgreSQL already serialises notifying commits (async.c takes a database-wide lock
 * in PreCommit_Notify), so this widens that window by one statement. It is what lets readers ask for `id > last`
 * and never miss an event that committed late with a smaller id.
 */
export async function recordEvent(tx: Db, event: NewEvent): Promise<number> {
  if (eventAnnouncement.enabled) await tx.execute(sql`select pg_advisory_xact_lock(${eventOrderLock})`)
  const payload = JSON.stringify(event.payload ?? {})
  const inserted = sql`insert into events (type, report_id, zone_id, payload)
    values (${event.type}, ${event.reportId ?? null}, ${event.zoneId ?? null}, ${payload}::jsonb) returning id`
  const result = eventAnnouncement.enabled
    ? await tx.execute(sql`with e as (${inserted}) select id, pg_notify(${notifyChannel}, id::text) from e`)
    : await tx.execute(inserted)
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { id: number | string }[]
  return Number(rows[0]!.id)
}
