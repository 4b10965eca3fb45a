/**
 * The live feed client (GET /api/live; the protocol is documented in shared/src/api/live.ts).
 *
 * A resident's token travels in the first frame (`auth`), never in the URL, so it cannot land in a proxy's log.
 * Events are notifications: the page reloads its data from the REST API, so a frame carries nothing it must trust.
 * After a lost connection the client reconnects with exponential backoff and jitter and subscribes again with the
 * highest event id it saw, and the server sends what was missed. While the socket is not open, the page polls the
 * REST API instead, so it keeps updating where websockets are blocked.
 */
import type { EventMessage, ServerMessage } from '@nabij/shared/api/live'

/**
 * `liveCloseCodes.unauthorised` of shared/src/api/live.ts, copied because a value import from shared/api would pull
 * the schema library into the bundle; a test keeps the two equal.
 */
export const unauthorisedClose = 4001

/** A resident's own report (no id), a report by reference (staff), a zone's public feed, or a staff member's queue. */
export type LiveSubscription = { channel: 'report'; id?: string } | { channel: 'zone'; id: number } | { channel: 'queue' }

export type LiveStatus = 'connecting' | 'live' | 'polling' | 'closed'

export interface LiveOptions {
  subscription: LiveSubscription
  /** A resident's follow-up token, for the `report` channel. */
  token?: string
  onEvent: (event: EventMessage) => void
  /** Something may have changed that no event will announce: reload over HTTP. */
  onResync: () => void
  onStatus?: (status: LiveStatus) => void
  /** The server no longer accepts the token: the resident must open the report again. */
  onUnauthorized?: () => void
  url?: string
  pollMs?: number
  initialBackoffMs?: number
  maxBackoffMs?: number
  /** The server sends a heartbeat every 30 s; this long without any frame means the connection is dead. */
  silenceMs?: number
  WebSocket?: typeof WebSocket
}

const authCodes = new Set(['RESIDENT_TOKEN_INVALID', 'UNAUTHENTICATED', 'RECEIPT_INVALID'])

export function liveUrl(origin: string = location.origin): string {
  return `${origin.replace(/^http/, 'ws')}/api/live`
}

/** Opens the live feed; the returned function closes it for good. */
export function connectLive(options: LiveOptions): () => void {
  const Socket = options.WebSocket ?? globalThis.WebSocket
  const pollMs = options.pollMs ?? 15_000
  const initialBackoff = options.initialBackoffMs ?? 1_000
  const maxBackoff = options.maxBackoffMs ?? 30_000
  const silenceMs = options.silenceMs ?? 75_000
  const { subscription } = options
  let lastEventId: number | null = null
  let socket: WebSocket | undefined
  let attempt = 0
  let stopped = false
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  let pollTimer: ReturnType<typeof setInterval> | undefined
  let silenceTimer: ReturnType<typeof setTimeout> | undefined

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

  function send(ws: WebSocket, frame: object) {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }

  function subscribeFrame(resume: boolean) {
    return {
      type: 'subscribe',
      channel: subscription.channel,
      ...('id' in subscription ? { id: subscription.id } : {}),
      ...(resume && lastEventId !== null ? { lastEventId } : {}),
    }
  }

  function unauthorized() {
    stop()
    options.onUnauthorized?.()
  }

  function watchSilence(ws: WebSocket) {
    clearTimeout(silenceTimer)
    silenceTimer = setTimeout(() => ws.close(4000, 'silent'), silenceMs)
  }

  function open() {
    if (stopped) return
    if (!Socket) return startPolling()
    if (attempt === 0 && !pollTimer) setStatus('connecting')
    let ws: WebSocket
    try {
      ws = new Socket(options.url ?? liveUrl())
    } catch {
      return scheduleReconnect()
    }
    socket = ws
    ws.onopen = () => {
      watchSilence(ws)
      if (options.token) send(ws, { type: 'auth', token: options.token })
      send(ws, subscribeFrame(true))
    }
    ws.onmessage = (message) => {
      watchSilence(ws)
      const frame = parse(message.data)
      if (!frame) return
      switch (frame.type) {
        case 'subscribed': {
          const resumed = lastEventId !== null
          attempt = 0
          stopPolling()
          setStatus('live')
          lastEventId = Math.max(lastEventId ?? 0, frame.lastEventId)
          // A first subscription has no backfill: what changed since the page loaded is fetched once.
          if (!resumed) options.onResync()
          return
        }
        case 'event':
          if (lastEventId !== null && frame.id <= lastEventId) return // a replay overlapping what we have
          lastEventId = frame.id
          options.onEvent(frame)
          return
        case 'resync':
          // Too much was missed to replay: subscribe afresh; its `subscribed` reply triggers the one reload.
          lastEventId = null
          send(ws, { type: 'unsubscribe', channel: subscription.channel, ...('id' in subscription ? { id: subscription.id } : {}) })
          send(ws, subscribeFrame(false))
          return
        case 'error':
          if (authCodes.has(frame.code)) unauthorized()
          return
        default:
          return // welcome, heartbeat, pong
      }
    }
    ws.onclose = (event) => {
      if (socket !== ws) return
      socket = undefined
      clearTimeout(silenceTimer)
      if (event.code === unauthorisedClose) return unauthorized()
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

  function stop() {
    if (stopped) return
    stopped = true
    clearTimeout(reconnectTimer)
    clearTimeout(silenceTimer)
    stopPolling()
    globalThis.removeEventListener?.('online', onOnline)
    const ws = socket
    socket = undefined
    ws?.close(1000)
    setStatus('closed')
  }

  open()
  return stop
}

function parse(data: unknown): ServerMessage | undefined {
  if (typeof data !== 'string') return undefined
  try {
    const value: unknown = JSON.parse(data)
    return value && typeof value === 'object' && 'type' in value ? (value as ServerMessage) : undefined
  } catch {
    return undefined
  }
}
