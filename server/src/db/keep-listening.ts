import type { Database } from './connect.js'

export interface KeepListeningOptions {
  /** Delay before listening again after the connection dropped or failed to open, doubling up to `maxRetryMs`. */
  retryMs?: number
  maxRetryMs?: number
  /**
   * Called each time listening starts again after a loss or a failed first attempt: PostgreSQL keeps no NOTIFY for a
   * listener that is not there, so the caller catches up on what the gap hid.
   */
  onReconnect?: () => void
  onError?: (err: unknown) => void
}

export interface Listening {
  /** How many times listening started again (observability and tests). */
  readonly reconnects: number
  stop(): Promise<void>
}

/**
 * LISTENs on `channel` until stopped, opening the connection again by itself whenever it is lost (PostgreSQL restart,
 * failover, a killed backend) or cannot be opened yet, with a growing delay.
 */
export function keepListening(database: Database, channel: string, fn: (payload: string) => void, options: KeepListeningOptions = {}): Listening {
  const firstRetryMs = options.retryMs ?? 100
  let retryMs = firstRetryMs
  let unlisten: (() => Promise<void>) | null = null
  let opening: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | null = null
  let stopped = false
  let reconnects = 0

  const retry = () => {
    if (stopped || timer) return
    timer = setTimeout(() => {
      timer = null
      opening = open(true)
    }, retryMs)
    timer.unref()
  }
  const lost = () => {
    if (stopped) return
    unlisten = null
    retry()
  }
  const open = async (again: boolean) => {
    try {
      const stop = await database.listen(channel, fn, lost)
      if (stopped) return void await stop()
      unlisten = stop
      retryMs = firstRetryMs
      if (again) {
        reconnects++
        options.onReconnect?.()
      }
    } catch (err) {
      if (stopped) return
      options.onError?.(err)
      retry()
      retryMs = Math.min(retryMs * 2, options.maxRetryMs ?? 5_000)
    }
  }

  opening = open(false)
  return {
    get reconnects() { return reconnects },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await opening
      await unlisten?.()
      unlisten = null
    },
  }
}
