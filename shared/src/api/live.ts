import { Type, type Static } from 'typebox'
import { eventTypes } from '../domain/events.js'

/**
 * The live channel: one websocket at `GET /api/live`, JSON text frames both ways.
 *
 * Who is calling is decided once, at the upgrade:
 * - staff: the session cookie (same-origin pages only: a foreign `Origin` makes the cookie count for nothing);
 * - a resident: their follow-up token, as `/api/live?token=…` or as the first message `{ type: 'auth', token }`;
 * - anyone else: the public channel (zone feeds) only.
 *
 * Channels, each filtered by the same rules as the HTTP API:
 * - `report` (id: reference such as "NB-2026-000123", or the numeric report id): staff who may see the report get
 *   every event, internal notes included; the resident holding the token gets what is visible to them (public and
 *   reporter updates, status changes); `id` may be omitted by a resident (their own report).
 * - `zone` (id: zone id): the public feed of a neighbourhood: posts published, edited, withdrawn, and the public side
 *   of published reports (status, public updates). No authentication.
 * - `queue` (no id): staff only; every event of every report the staff member may see (an officer: their zones).
 *
 * Resuming: every event has a monotonically increasing `id` (the events table). A client remembers, per
 * subscription, the highest `id` it received, or the `lastEventId` of the `subscribed` reply when that is higher,
 * and sends it back as `lastEventId` when it subscribes again after a reconnect; it then receives what it missed,
 * in order, before anything live, and nothing twice. Without `lastEventId` only new events arrive. When more than
 * `maxBackfill` events were missed the server sends `resync` instead: reload over HTTP, then subscribe afresh.
 *
 * Heartbeats: the server pings (protocol ping; browsers answer by themselves) every 30 s and closes a socket that
 * did not answer the previous ping. It also sends `{ type: 'heartbeat' }` on the same beat so that a browser, which
 * cannot see protocol pings, can tell a dead connection (nothing for 75 s → reconnect). A client may send
 * `{ type: 'ping' }` and gets `{ type: 'pong' }`.
 *
 * A client that does not read fast enough (over 1 MiB waiting in its socket) is closed with code 4008; it reconnects
 * and resumes from its last event id, so it loses nothing. Code 4001 means its session or token is no longer valid.
 */
export const liveChannels = ['report', 'zone', 'queue'] as const
export type LiveChannel = (typeof liveChannels)[number]

export const liveCloseCodes = { slowConsumer: 4008, unauthorised: 4001, dead: 4002 } as const
export const maxBackfill = 1000
export const heartbeatSeconds = 30

// ---------------------------------------------------------------- client → server

export const SubscribeMessage = Type.Object({
  type: Type.Literal('subscribe'),
  channel: Type.Enum([...liveChannels]),
  id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })])),
  lastEventId: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Highest event id already received on this channel' })),
})
export type SubscribeMessage = Static<typeof SubscribeMessage>

export const UnsubscribeMessage = Type.Object({
  type: Type.Literal('unsubscribe'),
  channel: Type.Enum([...liveChannels]),
  id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })])),
})
export type UnsubscribeMessage = Static<typeof UnsubscribeMessage>

export const AuthMessage = Type.Object({ type: Type.Literal('auth'), token: Type.String({ maxLength: 512 }) })
export type AuthMessage = Static<typeof AuthMessage>

export const PingMessage = Type.Object({ type: Type.Literal('ping') })

export const ClientMessage = Type.Union([SubscribeMessage, UnsubscribeMessage, AuthMessage, PingMessage])
export type ClientMessage = Static<typeof ClientMessage>

// ---------------------------------------------------------------- server → client

/** Sent once after the upgrade: who the server takes the caller for. */
export const WelcomeMessage = Type.Object({
  type: Type.Literal('welcome'),
  as: Type.Enum(['staff', 'resident', 'public']),
  lastEventId: Type.Integer({ description: 'The newest event id at this moment' }),
})
export type WelcomeMessage = Static<typeof WelcomeMessage>

/** A subscription is live; any backfill has been sent before this message. */
export const SubscribedMessage = Type.Object({
  type: Type.Literal('subscribed'),
  channel: Type.Enum([...liveChannels]),
  id: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
  lastEventId: Type.Integer({ description: 'Every event up to this id that this channel may show has been sent' }),
})
export type SubscribedMessage = Static<typeof SubscribedMessage>

/**
 * One event, as this subscriber may see it. `data` depends on `eventType` and on who is watching. Residents and the
 * public get timeline entries as `TimelineItem` of api/followup.ts, rendered in the socket's language (`?lang=` or
 * Accept-Language at the upgrade) with times rounded to the hour; staff get `StaffTimelineItem` of api/updates.ts.
 * - report.update_posted: `{ update }`; with `edited: true` (staff) when translations were added: replace by id;
 * - report.status_changed: `{ from, to, closeReason, by, update }` (`by`: 'staff' | 'reporter'; `update`: the
 *   status entry of the timeline);
 * - report.reporter_replied: `{ updateId, update }` (staff, and the reporter themself);
 * - report.reassigned: `{ fromStaffId, toStaffId, by }` and report.due_changed: `{ dueAt, by }`: staff only;
 * - report.moderated: `{ public }` for residents; report.filed and others: staff only, their stored payload;
 * - zone.post_published / zone.post_updated: `{ post: NeighbourhoodPost }`; zone.post_withdrawn: `{ postId }`.
 * `reportId` is sent to staff only; `reference` to anyone who may see the report.
 */
export const EventMessage = Type.Object({
  type: Type.Literal('event'),
  id: Type.Integer(),
  eventType: Type.Enum([...eventTypes]),
  reportId: Type.Optional(Type.Integer()),
  reference: Type.Optional(Type.String()),
  zoneId: Type.Optional(Type.Integer()),
  at: Type.String({ format: 'date-time' }),
  data: Type.Record(Type.String(), Type.Unknown()),
})
export type EventMessage = Static<typeof EventMessage>

export const ResyncMessage = Type.Object({
  type: Type.Literal('resync'),
  channel: Type.Enum([...liveChannels]),
  id: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
})
export type ResyncMessage = Static<typeof ResyncMessage>

/** A refused message or subscription; `code` is a stable error code (errors.<CODE> in the locales). */
export const LiveErrorMessage = Type.Object({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
  channel: Type.Optional(Type.Enum([...liveChannels])),
  id: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
})
export type LiveErrorMessage = Static<typeof LiveErrorMessage>

export const HeartbeatMessage = Type.Object({ type: Type.Literal('heartbeat') })
export const PongMessage = Type.Object({ type: Type.Literal('pong') })

export const ServerMessage = Type.Union([WelcomeMessage, SubscribedMessage, EventMessage, ResyncMessage, LiveErrorMessage, HeartbeatMessage, PongMessage])
export type ServerMessage = Static<typeof ServerMessage>
