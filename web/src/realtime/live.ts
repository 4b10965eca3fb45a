/**
 * The live feed of the resident and public pages (GET /api/live, websocket).
 *
 * Protocol, JSON text frames:
 *   client → server, first frame after open:
 *     { "type": "subscribe", "token"?: "<receipt session token>", "topics": [{ "kind": "report" } | { "kind": "zone", "zoneId": 3 }],
 *       "lastEventId"?: 123 }
 *     The token travels in the first frame, not the URL, so it never lands in a proxy's access log.
 *   server → client:
 *     { "type": "event", "id": 131, "event": "report.update_posted", "zoneId"?: 3, "payload"?: {...} }
 *     { "type": "resync" }      events were missed and cannot be replayed: the page reloads its data
 *     close code 4401          the token is not (or no longer) valid: no reconnect
 *
 * Each page reloads its data from the REST API when an event arrives, so events are only notifications and carry
 * nothing the page must trust. After a lost connection the client reconnects with exponential backoff and jitter,
 * sending the last event id it saw; while the socket is not open it polls the REST API, so a page keeps updating
 * even where websockets are blocked or the server has no live feed.
 */
export type LiveTopic = { kind: 'report' } | { kind: 'zone'; zoneId: number }

export interface LiveEvent {
  id: number
  event: string
  zoneId?: number | null
  payload?: Record<string, unknown>
}

export type LiveStatus = 'connecting' | 'live' | 'polling' | 'closed'

export interface LiveOptions {
  topics: LiveTopic[]
  token?: string
  lastEventId?: number | null
  onEvent: (event: LiveEvent) => void
  /** Something may have changed that no event announced: reload. */
  onResync: () => void
  onStatus?: (status: LiveStatus) => void
  /** The server refused the token (close 4401). */
  onUnauthorized?: () => void
  url?: string
  pollMs?: number
  initialBackoffMs?: number
  maxBackoffMs?: number
  WebSocket?: typeof WebSocket
}

export const unauthorizedClose = 4401

export function liveUrl(origin: string = location.origin): string {
  return `${origin.replace(/^http/, 'ws')}/api/live`
}

/** Opens the live feed; the returned function closes it for good. */
export function connectLive(options: LiveOptions): () => void {
  const Socket = options.WebSocket ?? globalThis.WebSocket
  const pollMs = options.pollMs ?? 15_000
  const initialBackoff = options.initialBackoffMs ?? 1_000
  const maxBackoff = options.maxBackoffMs ?? 30_000
  let lastEventId = options.lastEventId ?? null
  let socket: WebSocket | undefined
  let attempt = 0
  let stopped = false
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  let pollTimer: ReturnType<typeof setInterval> | undefined

  const setStatus = (status: LiveStatus) => options.onStatus?.(status)

  function startPolling() {
    if (pollTimer || stopped) return
    setStatus('polling')
    pollTimer = setInterval(() => options.onResync(), pollMs)
  }
  function stopPolling() {
    clearInterval(pollTimer)
    pollTimer = undefined
  }

  function open() {
    if (stopped) return
    if (!Socket) return startPolling()
    setStatus(attempt === 0 ? 'connecting' : 'polling')
    let ws: WebSocket
    try {
      ws = new Socket(options.url ?? liveUrl())
    } catch {
      return scheduleReconnect()
    }
    socket = ws
    ws.onopen = () => {
      attempt = 0
      stopPolling()
      ws.send(JSON.stringify({ type: 'subscribe', token: options.token, topics: options.topics, lastEventId: lastEventId ?? undefined }))
      setStatus('live')
      // Whatever happened between the page's last load and this subscription is fetched once.
      options.onResync()
    }
    ws.onmessage = (message) => {
      const frame = parse(message.data)
      if (!frame) return
      if (frame.type === 'event' && typeof frame.id === 'number') {
        if (lastEventId !== null && frame.id <= lastEventId) return // replayed twice across a reconnect
        lastEventId = frame.id
        options.onEvent({ id: frame.id, event: String(frame.event ?? ''), zoneId: frame.zoneId as number | null | undefined, payload: frame.payload as Record<string, unknown> | undefined })
      } else if (frame.type === 'resync') {
        options.onResync()
      }
    }
    ws.onclose = (event) => {
      if (socket !== ws) return
      socket = undefined
      if (event.code === unauthorizedClose) {
        stopped = true
        stopPolling()
        setStatus('closed')
        options.onUnauthorized?.()
        return
      }
      scheduleReconnect()
    }
    ws.onerror = () => {
      // onclose follows and schedules the reconnect
    }
  }

  function scheduleReconnect() {
    if (stopped) return
    startPolling()
    const delay = Math.min(maxBackoff, initialBackoff * 2 ** attempt)
    attempt += 1
    // Jitter spreads the reconnects of many pages after a server restart.
    reconnectTimer = setTimeout(open, delay / 2 + Math.random() * (delay / 2))
  }

  const onOnline = () => {
    if (socket || stopped) return
    clearTimeout(reconnectTimer)
    attempt = 0
    open()
  }
  globalThis.addEventListener?.('online', onOnline)

  open()

  return () => {
    stopped = true
    clearTimeout(reconnectTimer)
    stopPolling()
    globalThis.removeEventListener?.('online', onOnline)
    const ws = socket
    socket = undefined
    ws?.close(1000)
    setStatus('closed')
  }
}

function parse(data: unknown): Record<string, unknown> | undefined {
  if (typeof data !== 'string') return undefined
  try {
    const value: unknown = JSON.parse(data)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
