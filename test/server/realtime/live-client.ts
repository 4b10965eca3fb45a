import WebSocket from 'ws'
import type { EventMessage, ServerMessage } from '../../../shared/src/api/live.js'

/** A websocket client for tests: keeps every frame and lets a test wait for the one it expects. */
export class LiveTestClient {
  readonly messages: ServerMessage[] = []
  closed: { code: number; reason: string } | null = null
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void; reject: (e: Error) => void }[] = []
  private closeWaiters: ((c: { code: number; reason: string }) => void)[] = []

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage
      this.messages.push(message)
      for (const waiter of [...this.waiters]) {
        if (waiter.match(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          waiter.resolve(message)
        }
      }
    })
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
      this.closeWaiters.splice(0).forEach((resolve) => resolve(this.closed!))
      this.waiters.splice(0).forEach((w) => w.reject(new Error(`socket closed (${code}) while waiting`)))
    })
  }

  /** Opens `/api/live` on a base URL (http://host:port) and waits for the welcome. */
  static async open(baseUrl: string, options: { query?: string; headers?: Record<string, string>; autoPong?: boolean } = {}): Promise<LiveTestClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/live${options.query ? `?${options.query}` : ''}`
    const socket = new WebSocket(url, { headers: options.headers ?? {}, autoPong: options.autoPong ?? true })
    const client = new LiveTestClient(socket)
    const welcome = client.next((m) => m.type === 'welcome' || m.type === 'error')
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    await welcome.catch(() => undefined)
    return client
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message))
  }

  /** The first frame, received or to come, that matches and was not taken before. */
  next(match: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('socket closed'))
      this.waiters.push({ match, resolve, reject })
    })
  }

  /** Waits for the frame after all already received that matches. */
  async waitFor(match: (m: ServerMessage) => boolean): Promise<ServerMessage> {
    const seen = this.messages.find(match)
    return seen ?? this.next(match)
  }

  async subscribe(channel: 'report' | 'zone' | 'queue', id?: string | number, lastEventId?: number): Promise<ServerMessage> {
    const reply = this.next((m) => (m.type === 'subscribed' || m.type === 'error' || m.type === 'resync') && m.channel === channel)
    this.send({ type: 'subscribe', channel, ...(id !== undefined ? { id } : {}), ...(lastEventId !== undefined ? { lastEventId } : {}) })
    return reply
  }

  /** A round trip: every frame the server wrote to this socket before answering is in `messages` afterwards. */
  async sync(): Promise<void> {
    const pong = this.next((m) => m.type === 'pong')
    this.send({ type: 'ping' })
    await pong
  }

  events(): EventMessage[] {
    return this.messages.filter((m): m is EventMessage => m.type === 'event')
  }

  eventOf(type: string, match: (e: EventMessage) => boolean = () => true): Promise<EventMessage> {
    return this.waitFor((m) => m.type === 'event' && m.eventType === type && match(m)) as Promise<EventMessage>
  }

  whenClosed(): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed)
    return new Promise((resolve) => this.closeWaiters.push(resolve))
  }

  close(): void {
    this.socket.close()
  }

  /** Drops the TCP connection without a closing handshake, as a lost network does. */
  kill(): void {
    this.socket.terminate()
  }
}
