import { sql } from 'drizzle-orm'
import type { Db } from '../../db/connect.js'
import type { PhotoStorage } from '../photos/storage.js'
import { rowsOf } from '../../db/raw.js'
import { deleteRejectedPhotos, eraseExpiredContacts, removePhotoFiles } from './service.js'

/** Names the advisory lock of the retention job (the event-order lock is 0x6e61626a). */
const retentionLock = 0x6e61626b

export interface RetentionSettings {
  contactDays: number
  rejectedPhotoDays: number
}

export interface RetentionRun {
  /** Another instance held the job: this one did nothing. */
  skipped: boolean
  contacts: number
  photos: number
}

/**
 * One run of the retention job, in one transaction that first takes a transaction-scoped advisory lock: with several
 * instances on one database exactly one works at a time and the others skip (the lock ends with the transaction, so a
 * crashed instance never keeps it). PGlite runs one transaction at a time and has the same function.
 */
export async function runRetention(db: Db, storage: PhotoStorage, settings: RetentionSettings, now = new Date()): Promise<RetentionRun> {
  const outcome = await db.transaction(async (tx) => {
    const rows = await rowsOf<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${retentionLock}) as locked`)
    if (!rows[0]?.locked) return null
    const contacts = await eraseExpiredContacts(tx, settings.contactDays, now)
    const files = await deleteRejectedPhotos(tx, settings.rejectedPhotoDays, now)
    return { contacts, files }
  })
  if (!outcome) return { skipped: true, contacts: 0, photos: 0 }
  await removePhotoFiles(storage, outcome.files)
  return { skipped: false, contacts: outcome.contacts, photos: outcome.files.length }
}

export interface RetentionJob {
  /** Runs now unless a run is under way (then waits for it). */
  run(): Promise<void>
  stop(): Promise<void>
}

/**
 * Runs the retention job every `intervalMs` (hourly by default), first soon after start. A failed run is logged and
 * retried at the next tick; stopping waits for a run under way.
 */
export function startRetentionJob(db: Db, storage: PhotoStorage, settings: RetentionSettings, intervalMs: number, log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }): RetentionJob {
  let running: Promise<void> | null = null
  let stopped = false
  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve()
    running ??= (async () => {
      try {
        const outcome = await runRetention(db, storage, settings)
        if (outcome.contacts + outcome.photos > 0) log.info({ contacts: outcome.contacts, photos: outcome.photos }, 'retention: data erased')
      } catch (err) {
        if (!stopped) log.warn({ err }, 'retention run failed; will retry')
      }
    })().finally(() => { running = null })
    return running
  }
  const first = setTimeout(() => void run(), Math.min(intervalMs, 60_000))
  const timer = setInterval(() => void run(), intervalMs)
  first.unref()
  timer.unref()
  return {
    run,
    async stop() {
      stopped = true
      clearTimeout(first)
      clearInterval(timer)
      await running
    },
  }
}
