import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm'
import { notifyChannel, type EventType } from '@nabij/shared/domain/events'
import type { Database, Db } from '../../db/connect.js'
import { events, reports, reportUpdates, type ReportUpdate } from '../../db/schema.js'

/** An event row with the fields of its report that decide who may see it, as they are now. */
export interface FeedEvent {
  /** The event's position in the log (`events.position`): what clients see as the event id and resume from. */
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

/**
 * Numbered events after position `after`, in log order. Positions become visible in increasing order (see
 * EventSequencer), so nothing can appear behind a position once read.
 */
export async function eventsAfter(db: Db, after: number, limit: number, where?: SQL): Promise<FeedEvent[]> {
  // The events first, by the position index; then their reports and replies by primary key. One query with joins
  // let the planner hash-join whole tables on every read once they grew.
  const columns = { id: events.position, type: events.type, reportId: events.reportId, zoneId: events.zoneId, payload: events.payload, createdAt: events.createdAt }
  // A subscription's backfill filter may name the report's zone; the live feed reads every event and needs no join.
  const query = where ? db.select(columns).from(events).leftJoin(reports, eq(reports.id, events.reportId)) : db.select(columns).from(events)
  const rows = await query.where(and(gt(events.position, after), where)).orderBy(asc(events.position)).limit(limit)
  if (rows.length === 0) return []
  const reportIds = [...new Set(rows.flatMap((r) => (r.reportId === null ? [] : [r.reportId])))]
  const replyIds = rows.flatMap((r) => (r.type === 'report.reporter_replied' && r.payload.updateId !== undefined ? [Number(r.payload.updateId)] : []))
    .filter((id) => Number.isSafeInteger(id))
  const [reportRows, replyRows] = await Promise.all([
    reportIds.length === 0 ? [] : db.select({
      id: reports.id, reference: reports.reference, zoneId: reports.zoneId, queue: reports.queue, assignedStaffId: reports.assignedStaffId, moderationState: reports.moderationState,
    }).from(reports).where(inArray(reports.id, reportIds)),
    replyIds.length === 0 ? [] : db.select().from(reportUpdates).where(inArray(reportUpdates.id, replyIds)),
  ])
  const reportById = new Map(reportRows.map((r) => [r.id, r]))
  const replyById = new Map(replyRows.map((r) => [r.id, r]))
  return rows.map((r) => {
    const report = r.reportId === null ? undefined : reportById.get(r.reportId)
    const reply = r.type === 'report.reporter_replied' ? replyById.get(Number(r.payload.updateId)) : undefined
    return {
      id: r.id!,
      type: r.type as EventType,
      reportId: r.reportId,
      zoneId: r.zoneId ?? report?.zoneId ?? null,
      payload: r.payload,
      createdAt: r.createdAt,
      report: report
        ? { reference: report.reference, zoneId: report.zoneId, queue: report.queue, assignedStaffId: report.assignedStaffId, moderationState: report.moderationState }
        : null,
      reply: reply && reply.reportId === r.reportId ? reply : null,
    }
  })
}

export async function newestEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<string | null>`max(${events.position})` }).from(events)
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
 * This instance's view of the event log: LISTENs for the sequencer's announcements, then reads every event after the
 * last position it handed on, in order. A lost LISTEN connection is re-opened by itself; reading `position > last`
 * after it catches up on what the gap hid. NOTIFY is only a wake-up: the rows are the truth.
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
