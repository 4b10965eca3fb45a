import { sql } from 'drizzle-orm'
import { notifyChannel, type EventType } from '@nabij/shared/domain/events'
import { afterCommit } from '../../db/after-commit.js'
import { sideConnectionOf, type Db } from '../../db/connect.js'
import { rowsOf } from '../../db/raw.js'

export interface NewEvent {
  type: EventType
  reportId?: number | null
  zoneId?: number | null
  payload?: Record<string, unknown>
}

/**
 * Bench only: stops recordEvent from waking the sequencer, to measure what announcing costs intake. Production never
 * touches it; unannounced events are numbered by the next sweep.
 */
export const eventAnnouncement = { enabled: true }

/**
 * Writes the event row inside the transaction of the change it describes; after COMMIT the sequencer numbers it and
 * announces it. Intake transactions take no shared lock and send no NOTIFY (PostgreSQL serialises notifying
 * commits database-wide), so they commit side by side. Never put contact data in `payload`.
 */
export async function recordEvent(tx: Db, event: NewEvent): Promise<number> {
  const payload = JSON.stringify(event.payload ?? {})
  const rows = await rowsOf<{ id: number | string }>(tx, sql`insert into events (type, report_id, zone_id, payload)
    values (${event.type}, ${event.reportId ?? null}, ${event.zoneId ?? null}, ${payload}::jsonb) returning id`)
  await announceAfterCommit(tx)
  return Number(rows[0]!.id)
}

/**
 * For a write that inserted events rows: wakes the sequencer once the write commits (after COMMIT inside
 * `db.transaction`, at once for a single autocommit statement). With `wait` (the default) it resolves when the
 * events have a position: a client that saw the answer to its POST and subscribes next finds the event in the log
 * (read your writes). An intake does not wait: its answer (reference and receipt) owes nothing to the log, and the
 * resident's follow-up reads the report itself; staff queues receive the event a round later.
 */
export async function announceAfterCommit(db: Db, options: { wait?: boolean } = {}): Promise<void> {
  if (!eventAnnouncement.enabled) return
  const wait = options.wait ?? true
  const wake = (root: Db) => {
    const numbered = sequencerOf(root).wake()
    return wait ? numbered : undefined
  }
  if (!afterCommit(wake)) await wake(db)
}

export interface SequencerOptions {
  /** Events numbered per transaction at most. */
  batch?: number
  /**
   * Rounds start at least this far apart, so a burst is numbered (and announced, and read by every instance's feed)
   * in a few rounds rather than one per event; it is also the most a write waits for its number beyond the round.
   */
  minIntervalMs?: number
  onError?: (err: unknown) => void
}

/**
 * Gives committed events their position in the log, in commit order, and announces the newest position by NOTIFY.
 *
 * One transaction per round, under an advisory lock that every instance's sequencer takes: a round starts after the
 * previous one committed, so positions become visible in increasing order and a reader of `position > last` never
 * sees one appear behind it. An event committed while a round runs is numbered by the next round; wakes during a
 * round coalesce into the next, so a burst of intakes costs a few rounds, not one each. An instance killed between
 * an intake's commit and its round leaves the event unnumbered until any instance's next sweep.
 */
export class EventSequencer {
  private running: Promise<void> | null = null
  /** Those waiting for the next round to start; it settles them when it has numbered everything committed before it. */
  private waiters: (() => void)[] = []
  private timer: NodeJS.Timeout | null = null
  private lastRoundAt = -Infinity
  /** Rounds that numbered at least one event (observability and tests). */
  rounds = 0

  constructor(private readonly db: Db, private options: SequencerOptions = {}) {}

  /**
   * Numbers what is waiting. Resolves once a round that started after this call has finished: every event committed
   * before the call then has its position. Never rejects: a failed round leaves the events to the sweep.
   */
  wake(): Promise<void> {
    const done = new Promise<void>((resolve) => this.waiters.push(resolve))
    this.running ??= this.loop()
    return done
  }

  /** A sweep every `everyMs` numbers events whose instance died before its round (and keeps going after errors). */
  start(everyMs: number, options: SequencerOptions = {}): void {
    this.options = { ...this.options, ...options }
    this.timer ??= setInterval(() => void this.wake(), everyMs)
    this.timer.unref()
    void this.wake()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }

  private async loop(): Promise<void> {
    try {
      while (this.waiters.length > 0) {
        const wait = this.lastRoundAt + (this.options.minIntervalMs ?? 10) - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        this.lastRoundAt = performance.now()
        const settled = this.waiters
        this.waiters = []
        try {
          while (await this.round() === (this.options.batch ?? 1000));
        } catch (err) {
          // The sweep or the next wake retries: the events stay unnumbered, nothing is lost.
          this.options.onError?.(err)
        }
        for (const resolve of settled) resolve()
      }
    } finally {
      this.running = null
    }
  }

  /**
   * One transaction: number up to `batch` waiting events in id order, NOTIFY the newest position. One statement, the
   * function of migration 0003 (check, advisory lock, numbering and NOTIFY in one round trip).
   */
  private async round(): Promise<number> {
    const rows = await rowsOf<{ n: number }>(this.db, sql`select nabij_number_events(${this.options.batch ?? 1000}::int, ${notifyChannel}::text) as n`)
    const numbered = Number(rows[0]?.n ?? 0)
    if (numbered > 0) this.rounds++
    return numbered
  }
}

const sequencers = new WeakMap<Db, EventSequencer>()

/** The one sequencer of a database connection (pool or PGlite) in this process. */
export function sequencerOf(db: Db): EventSequencer {
  let sequencer = sequencers.get(db)
  if (!sequencer) sequencers.set(db, sequencer = new EventSequencer(sideConnectionOf(db)))
  return sequencer
}
