import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { WebSocket } from 'ws'
import { heartbeatSeconds, liveCloseCodes, maxBackfill, type LiveChannel, type ServerMessage } from '@nabij/shared/api/live'
import type { Language } from '@nabij/shared/domain/languages'
import type { Database, Db } from '../../db/connect.js'
import { events, reports, staffSessions, staffUsers } from '../../db/schema.js'
import type { StaffPrincipal } from '../../plugins/auth.js'
import { moderationEventTypes, staffCanSeeReport, type ReportAccessFields } from '../staff/access.js'
import { sessionIdleMs } from '../staff/sessions.js'
import { EventFeed, eventsAfter, type FeedEvent, type FeedOptions } from './feed.js'
import { messageFor, type Audience } from './views.js'

export type Principal =
  | { kind: 'staff'; staff: StaffPrincipal }
  | { kind: 'resident'; reportId: number; stillValid: () => boolean }
  | { kind: 'public' }

export interface LiveClient {
  socket: WebSocket
  principal: Principal
  language: Language
  subs: Map<string, Subscription>
  alive: boolean
}

export interface Subscription {
  client: LiveClient
  key: string
  channel: LiveChannel
  /** As the client named it, echoed back. */
  id: string | number | undefined
  reportId?: number
  zoneId?: number
  audience: Audience
  /** While the backfill runs, live events wait here, so the two merge in order without gaps or repeats. */
  pending: FeedEvent[] | null
  lastSentId: number
}

export interface HubOptions extends FeedOptions {
  heartbeatMs?: number
  /** A socket with more than this waiting to be written is a slow consumer and is closed. */
  maxBufferedBytes?: number
  /** How long an officer's access decision is reused for the same report fields. */
  accessCacheMs?: number
}

/**
 * Fan-out of the event log to this instance's websockets. Every instance runs one hub fed by its own EventFeed, so
 * no instance needs to know the others; a client may reconnect to any of them and resume from its last event id.
 */
export class Hub {
  readonly clients = new Set<LiveClient>()
  private readonly byReport = new Map<number, Set<Subscription>>()
  private readonly byZone = new Map<number, Set<Subscription>>()
  private readonly queues = new Set<Subscription>()
  private readonly feed: EventFeed
  private heartbeat: NodeJS.Timeout | null = null
  private readonly accessCache = new Map<string, { allowed: boolean; until: number }>()
  maxBufferedBytes: number
  /** Events handed to sockets (observability). */
  delivered = 0
  /** Sockets closed for reading too slowly. */
  droppedSlow = 0

  constructor(private readonly database: Database, private readonly options: HubOptions = {}) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024
    this.feed = new EventFeed(database, (batch) => this.dispatch(batch), options)
  }

  get db(): Db {
    return this.database.db
  }

  /** The newest event this instance has dispatched. */
  get head(): number {
    return this.feed.head
  }

  get listenReconnects(): number {
    return this.feed.reconnects
  }

  async start(): Promise<void> {
    await this.feed.start()
    this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs ?? heartbeatSeconds * 1000)
    this.heartbeat.unref()
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat)
    await this.feed.stop()
    for (const client of this.clients) client.socket.terminate()
    this.clients.clear()
  }

  /** Reads new events now (tests, and callers that just committed one on this instance). */
  poke(): Promise<void> {
    return this.feed.wake()
  }

  // ---------------------------------------------------------------- clients

  add(socket: WebSocket, principal: Principal, language: Language): LiveClient {
    const client: LiveClient = { socket, principal, language, subs: new Map(), alive: true }
    this.clients.add(client)
    socket.on('pong', () => { client.alive = true })
    socket.on('close', () => this.remove(client))
    return client
  }

  remove(client: LiveClient): void {
    if (!this.clients.delete(client)) return
    for (const sub of client.subs.values()) this.unindex(sub)
    client.subs.clear()
  }

  send(client: LiveClient, message: ServerMessage | Buffer): boolean {
    if (!this.clients.has(client)) return false
    const socket = client.socket
    if (socket.readyState !== socket.OPEN) return false
    // A reader that cannot keep up would make us hold every message for it: drop it, it resumes from its last id.
    if (socket.bufferedAmount > this.maxBufferedBytes) {
      this.droppedSlow++
      this.remove(client)
      socket.close(liveCloseCodes.slowConsumer, 'slow consumer')
      setTimeout(() => socket.terminate(), 5_000).unref()
      return false
    }
    socket.send(Buffer.isBuffer(message) ? message : JSON.stringify(message), { binary: false })
    return true
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * Registers a subscription, sends what the client missed since `lastEventId`, then anything that arrived
   * meanwhile, then `subscribed`. Access was checked by the caller.
   */
  async subscribe(client: LiveClient, sub: Omit<Subscription, 'client' | 'pending' | 'lastSentId'>, lastEventId: number | undefined): Promise<void> {
    const existing = client.subs.get(sub.key)
    if (existing) this.unindex(existing)
    const full: Subscription = { ...sub, client, pending: lastEventId === undefined ? null : [], lastSentId: lastEventId ?? this.head }
    client.subs.set(sub.key, full)
    this.index(full)
    if (lastEventId !== undefined) {
      let resync = false
      try {
        const missed = await eventsAfter(this.db, lastEventId, maxBackfill + 1, this.channelFilter(full))
        if (missed.length > maxBackfill) resync = true
        else {
          for (const e of missed) {
            await this.deliverTo(full, e, new Map())
            full.lastSentId = e.id
          }
        }
      } finally {
        const waiting = full.pending ?? []
        full.pending = null
        if (resync) {
          full.lastSentId = Math.max(this.head, ...waiting.map((e) => e.id))
          this.send(client, { type: 'resync', channel: full.channel, ...(full.id !== undefined ? { id: full.id } : {}) })
        } else {
          for (const e of waiting) {
            if (e.id <= full.lastSentId) continue
            await this.deliverTo(full, e, new Map())
            full.lastSentId = e.id
          }
        }
      }
    }
    if (client.subs.get(sub.key) !== full) return
    this.send(client, { type: 'subscribed', channel: full.channel, ...(full.id !== undefined ? { id: full.id } : {}), lastEventId: Math.max(this.head, full.lastSentId) })
  }

  unsubscribe(client: LiveClient, key: string): void {
    const sub = client.subs.get(key)
    if (!sub) return
    client.subs.delete(key)
    this.unindex(sub)
  }

  private index(sub: Subscription): void {
    if (sub.channel === 'report') addTo(this.byReport, sub.reportId!, sub)
    else if (sub.channel === 'zone') addTo(this.byZone, sub.zoneId!, sub)
    else this.queues.add(sub)
  }

  private unindex(sub: Subscription): void {
    if (sub.channel === 'report') removeFrom(this.byReport, sub.reportId!, sub)
    else if (sub.channel === 'zone') removeFrom(this.byZone, sub.zoneId!, sub)
    else this.queues.delete(sub)
  }

  /** The SQL side of a channel, for backfills; access is applied per event as for live ones. */
  private channelFilter(sub: Subscription): SQL | undefined {
    if (sub.channel === 'report') return eq(events.reportId, sub.reportId!)
    if (sub.channel === 'zone') return or(eq(events.zoneId, sub.zoneId!), eq(reports.zoneId, sub.zoneId!))
    return isNotNull(events.reportId)
  }

  // ---------------------------------------------------------------- fan-out

  async dispatch(batch: FeedEvent[]): Promise<void> {
    for (const e of batch) {
      // One serialisation per audience and language, shared by every socket that gets it.
      const encoded = new Map<string, Buffer | null>()
      const reached = new Set<LiveClient>()
      const candidates: Iterable<Subscription>[] = []
      if (e.reportId !== null) {
        const forReport = this.byReport.get(e.reportId)
        if (forReport) candidates.push(forReport)
      }
      if (e.zoneId !== null) {
        const forZone = this.byZone.get(e.zoneId)
        if (forZone) candidates.push(forZone)
      }
      if (e.reportId !== null && this.queues.size > 0) candidates.push(this.queues)
      for (const group of candidates) {
        for (const sub of [...group]) {
          if (sub.pending) {
            sub.pending.push(e)
            continue
          }
          if (e.id <= sub.lastSentId) continue
          sub.lastSentId = e.id
          // An event matching several subscriptions of one client is sent once.
          if (reached.has(sub.client)) continue
          if (sub.audience === 'staff' && !(await this.staffSubMaySee(sub, e))) continue
          if (this.emit(sub, e, encoded)) reached.add(sub.client)
        }
      }
    }
  }

  private async deliverTo(sub: Subscription, e: FeedEvent, encoded: Map<string, Buffer | null>): Promise<boolean> {
    if (sub.audience === 'staff' && !(await this.staffSubMaySee(sub, e))) return false
    return this.emit(sub, e, encoded)
  }

  private staffSubMaySee(sub: Subscription, e: FeedEvent): Promise<boolean> | boolean {
    if (!e.report) return false
    const { staff } = sub.client.principal as { kind: 'staff'; staff: StaffPrincipal }
    if (staff.role === 'moderator') return moderationEventTypes.has(e.type)
    return this.staffMaySee(staff, e.report)
  }

  /** Synchronous on purpose: a broadcast to thousands of sockets must not yield between them. */
  private emit(sub: Subscription, e: FeedEvent, encoded: Map<string, Buffer | null>): boolean {
    if (sub.audience === 'reporter' && e.reportId !== sub.reportId) return false
    const key = `${sub.audience}:${sub.audience === 'staff' ? '' : sub.client.language}`
    let data = encoded.get(key)
    if (data === undefined) {
      const message = messageFor(e, sub.audience, sub.client.language)
      data = message ? Buffer.from(JSON.stringify(message)) : null
      encoded.set(key, data)
    }
    if (!data) return false
    const sent = this.send(sub.client, data)
    if (sent) this.delivered++
    return sent
  }

  /**
   * The staff module's rule, asked with the report's current routing fields. An officer's answer costs a query, so it
   * is reused briefly for the same fields; a changed assignment or zone changes the key.
   */
  private async staffMaySee(staff: StaffPrincipal, report: ReportAccessFields): Promise<boolean> {
    const key = `${staff.id}|${staff.role}|${report.zoneId}|${report.queue}|${report.assignedStaffId}`
    const now = Date.now()
    const cached = this.accessCache.get(key)
    if (cached && cached.until > now) return cached.allowed
    const allowed = await staffCanSeeReport(this.db, staff, report)
    if (this.accessCache.size > 10_000) this.accessCache.clear()
    this.accessCache.set(key, { allowed, until: now + (this.options.accessCacheMs ?? 10_000) })
    return allowed
  }

  // ---------------------------------------------------------------- heartbeats

  /** Closes sockets that missed the last ping, and those whose session or token ended; pings the rest. */
  async beat(): Promise<void> {
    const staffClients: LiveClient[] = []
    for (const client of this.clients) {
      if (!client.alive) {
        this.remove(client)
        client.socket.terminate()
        continue
      }
      client.alive = false
      client.socket.ping()
      this.send(client, { type: 'heartbeat' })
      if (client.principal.kind === 'staff') staffClients.push(client)
      else if (client.principal.kind === 'resident' && !client.principal.stillValid()) {
        // The token expired: the HTTP API would refuse it now, so the socket stops too.
        this.remove(client)
        client.socket.close(liveCloseCodes.unauthorised, 'token expired')
      }
    }
    if (staffClients.length === 0) return
    const live = await this.liveSessions(staffClients.map((c) => (c.principal as { staff: StaffPrincipal }).staff.sessionId)).catch(() => null)
    if (!live) return
    for (const client of staffClients) {
      if (!live.has((client.principal as { staff: StaffPrincipal }).staff.sessionId)) {
        this.remove(client)
        client.socket.close(liveCloseCodes.unauthorised, 'session ended')
      }
    }
  }

  /**
   * Sessions still valid, checked without touching their last-seen time: an open tab must not keep a session alive
   * past the idle limit.
   */
  private async liveSessions(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.select({ id: staffSessions.id }).from(staffSessions)
      .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.staffId))
      .where(and(
        inArray(staffSessions.id, ids),
        isNull(staffSessions.revokedAt),
        isNull(staffUsers.disabledAt),
        sql`${staffSessions.expiresAt} > now()`,
        sql`${staffSessions.lastSeenAt} > now() - make_interval(secs => ${sessionIdleMs / 1000})`,
      ))
    return new Set(rows.map((r) => r.id))
  }
}

function addTo<K>(map: Map<K, Set<Subscription>>, key: K, sub: Subscription): void {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  set.add(sub)
}

function removeFrom<K>(map: Map<K, Set<Subscription>>, key: K, sub: Subscription): void {
  const set = map.get(key)
  if (!set) return
  set.delete(sub)
  if (set.size === 0) map.delete(key)
}
