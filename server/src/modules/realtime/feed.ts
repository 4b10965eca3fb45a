import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import { notifyChannel, type EventType } from '@nabij/shared/domain/events'
import type { Database, Db } from '../../db/connect.js'
import { events, reports, reportUpdates, type ReportUpdate } from '../../db/schema.js'

/** An event row with the fields of its report that decide who may see it, as they are now. */
export interface FeedEvent {
  id: number
  type: EventType
  reportId: number | null
  zoneId: number | null
  payload: Record<string, unknown>
  createdAt: Date
  report: { reference: string; zoneId: number | null; queue: string; assignedStaffId: number | null; moderationState: string } | null
  /** For report.reporter_replied: the reply itself, so an officer reads it as it arrives. */
  reply: ReportUpdate | null
}

/** Events after `after`, oldest first. Event ids commit in order (see recordEvent), so nothing can appear behind. */
export async function eventsAfter(db: Db, after: number, limit: number, where?: SQL): Promise<FeedEvent[]> {
  const rows = await db.select({
    id: events.id,
    type: events.type,
    reportId: events.reportId,
    zoneId: events.zoneId,
    payload: events.payload,
    createdAt: events.createdAt,
    reference: reports.reference,
    reportZoneId: reports.zoneId,
    queue: reports.queue,
    assignedStaffId: reports.assignedStaffId,
    moderationState: reports.moderationState,
    reply: reportUpdates,
  }).from(events)
    .leftJoin(reports, eq(reports.id, events.reportId))
    .leftJoin(reportUpdates, and(
      eq(events.type, 'report.reporter_replied'),
      eq(reportUpdates.reportId, events.reportId),
      sql`${reportUpdates.id} = (${events.payload}->>'updateId')::bigint`,
    ))
    .where(and(gt(events.id, after), where))
    .orderBy(asc(events.id))
    .limit(limit)
  return rows.map((r) => ({
    id: r.id,
    type: r.type as EventType,
    reportId: r.reportId,
    zoneId: r.zoneId ?? r.reportZoneId,
    payload: r.payload,
    createdAt: r.createdAt,
    report: r.reference === null
      ? null
      : { reference: r.reference, zoneId: r.reportZoneId, queue: r.queue!, assignedStaffId: r.assignedStaffId, moderationState: r.moderationState! },
    reply: r.reply,
  }))
}

export async function newestEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<string | null>`max(${events.id})` }).from(events)
  return Number(row?.id ?? 0)
}

export interface FeedOptions {
  /** Safety net: look for events even without a notification (a LISTEN connection can die silently). */
  pollMs?: number
  batch?: number
  /** Delay before listening again after the connection dropped, doubling up to `maxRetryMs`. */
  retryMs?: number
  maxRetryMs?: number
  onError?: (err: unknown) => void
}

/**
 * This instance's view of the event log: LISTENs for ids, then reads every event after the last one it handed on, in
 * order. A lost LISTEN connection is re-opened by itself; reading `id > last` after it catches up on what the gap
 * hid. NOTIFY is only a wake-up: the rows are the truth.
 */
export class EventFeed {
  head = 0
  private unlisten: (() => Promise<void>) | null = null
  private reading: Promise<void> | null = null
  private again = false
  private stopped = false
  private pollTimer: NodeJS.Timeout | null = null
  private retryTimer: NodeJS.Timeout | null = null
  private retryMs: number
  /** How many times the LISTEN connection was re-opened (observability and tests). */
  reconnects = 0

  constructor(
    private readonly database: Database,
    private readonly deliver: (batch: FeedEvent[]) => Promise<void> | void,
    private readonly options: FeedOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 100
  }

  async start(): Promise<void> {
    this.head = await newestEventId(this.database.db)
    await this.listen()
    const pollMs = this.options.pollMs ?? 5_000
    if (pollMs > 0) {
      this.pollTimer = setInterval(() => this.wake(), pollMs)
      this.pollTimer.unref()
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.pollTimer) clearInterval(this.pollTimer)
    if (this.retryTimer) clearTimeout(this.retryTimer)
    await this.unlisten?.()
    this.unlisten = null
    await this.reading?.catch(() => {})
  }

  /** Reads and delivers everything after `head`; calls during a read make it go round once more. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    this.again = true
    this.reading ??= this.loop()
    return this.reading
  }

  private async loop(): Promise<void> {
    try {
      while (this.again && !this.stopped) {
        this.again = false
        await this.readAll()
      }
    } finally {
      this.reading = null
    }
  }

  private async readAll(): Promise<void> {
    const batch = this.options.batch ?? 500
    try {
      for (;;) {
        const found = await eventsAfter(this.database.db, this.head, batch)
        if (found.length === 0) return
        await this.deliver(found)
        this.head = found[found.length - 1]!.id
        if (found.length < batch) return
      }
    } catch (err) {
      // The next notification or poll retries from the same head; nothing is skipped.
      if (!this.stopped) this.options.onError?.(err)
    }
  }

  private async listen(): Promise<void> {
    this.unlisten = await this.database.listen(notifyChannel, (payload) => {
      if (Number(payload) > this.head) void this.wake()
    }, () => this.lost())
  }

  private lost(): void {
    if (this.stopped) return
    this.unlisten = null
    this.scheduleRetry()
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null
      try {
        await this.listen()
        if (this.stopped) {
          await this.unlisten?.()
          return
        }
        this.reconnects++
        this.retryMs = this.options.retryMs ?? 100
        await this.wake()
      } catch (err) {
        this.options.onError?.(err)
        this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5_000)
        this.scheduleRetry()
      }
    }, this.retryMs)
    this.retryTimer.unref()
  }
}
