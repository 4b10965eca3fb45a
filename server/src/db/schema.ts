import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn, bigint, bigserial, boolean, date, doublePrecision, index, integer, jsonb, pgSequence, pgTable, serial, smallint, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core'
import type { FlagDetails } from '@nabij/shared/moderation/flags'

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

/** A local police zone (e.g. 5339 Bruxelles-Capitale/Ixelles); neighbourhood zones are grouped under it. */
export const policeZones = pgTable('police_zones', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
})

/** A neighbourhood (wijk/quartier) with its polygon; its officers answer the reports that fall in it. */
export const zones = pgTable('zones', {
  id: serial('id').primaryKey(),
  externalId: text('external_id').notNull(),
  policeZoneId: text('police_zone_id').references(() => policeZones.id),
  name: text('name').notNull(),
  names: jsonb('names').$type<Record<string, string>>().notNull().default({}),
  /** GeoJSON Polygon or MultiPolygon, WGS84. */
  geometry: jsonb('geometry').$type<{ type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }>().notNull(),
  /** Promised time to a first answer, shown to residents and tracked per report. */
  promisedResponseHours: integer('promised_response_hours').notNull().default(72),
  version: integer('version').notNull().default(1),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('zones_external_id_idx').on(t.externalId)])

export const staffUsers = pgTable('staff_users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  /** Residents see officers by first name only, and only when the officer chose to be shown. */
  publicFirstName: text('public_first_name'),
  showOnZonePage: boolean('show_on_zone_page').notNull().default(false),
  /** The staff member's own portrait (a `photos` row, 400 px WebP); public only while they choose, see photoPublic. */
  photoId: uuid('photo_id').references((): AnyPgColumn => photos.id, { onDelete: 'set null' }),
  /** Their choice alone: no one else may show their face to residents. */
  photoPublic: boolean('photo_public').notNull().default(false),
  role: text('role').$type<'officer' | 'moderator' | 'partner' | 'oversight' | 'admin'>().notNull(),
  language: text('language').notNull().default('nl'),
  passwordHash: text('password_hash').notNull(),
  totpSecret: text('totp_secret'),
  /** RFC 6238 time step of the last accepted code: a code is never accepted twice. */
  totpLastStep: integer('totp_last_step'),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('staff_users_email_idx').on(sql`lower(${t.email})`)])

/** Server-side sessions: revocable and expiring; only a hash of the cookie value is kept. */
export const staffSessions = pgTable('staff_sessions', {
  id: text('id').primaryKey(),
  staffId: integer('staff_id').notNull().references(() => staffUsers.id),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /** For the idle timeout; refreshed at most once a minute. */
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [index('staff_sessions_staff_idx').on(t.staffId)])

/** Every created, edited or retired version of a zone, so a past routing decision can be explained. */
export const zoneHistory = pgTable('zone_history', {
  id: serial('id').primaryKey(),
  zoneId: integer('zone_id').notNull().references(() => zones.id),
  version: integer('version').notNull(),
  change: text('change').$type<'created' | 'edited' | 'retired' | 'restored'>().notNull(),
  name: text('name').notNull(),
  policeZoneId: text('police_zone_id'),
  geometry: jsonb('geometry').$type<{ type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }>().notNull(),
  staffId: integer('staff_id').references(() => staffUsers.id),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('zone_history_zone_idx').on(t.zoneId, t.version)])

/** Officer ↔ zone with dates: history is kept, never overwritten. */
export const zoneOfficers = pgTable('zone_officers', {
  id: serial('id').primaryKey(),
  zoneId: integer('zone_id').notNull().references(() => zones.id),
  staffId: integer('staff_id').notNull().references(() => staffUsers.id),
  primary: boolean('primary').notNull().default(false),
  startsOn: date('starts_on').notNull().defaultNow(),
  endsOn: date('ends_on'),
}, (t) => [index('zone_officers_zone_idx').on(t.zoneId), index('zone_officers_staff_idx').on(t.staffId)])

/** Ordered routing rules, first match wins; the category floor (oversight, municipality) is applied before them. */
export const routingRules = pgTable('routing_rules', {
  id: serial('id').primaryKey(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  category: text('category'),
  zoneId: integer('zone_id').references(() => zones.id),
  /** ISO weekdays 1..7; null = every day. */
  weekdays: smallint('weekdays').array(),
  /** Minutes since local midnight, Europe/Brussels; a window may wrap past midnight. */
  fromMinute: smallint('from_minute'),
  toMinute: smallint('to_minute'),
  queue: text('queue').notNull().default('zone'),
  assignStaffId: integer('assign_staff_id').references(() => staffUsers.id),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: createdAt(),
})

/** Numbers the public references (NB-2026-000123) in the insert itself: no counter row to lock. */
export const reportReferenceSeq = pgSequence('report_reference_seq', { startWith: 1 })

export const reports = pgTable('reports', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  reference: text('reference').notNull(),
  category: text('category').notNull(),
  description: text('description').notNull(),
  /** Declared by the reporter, and detected by moderation when it differs. */
  language: text('language').notNull(),
  detectedLanguage: text('detected_language'),
  lat: doublePrecision('lat'),
  lon: doublePrecision('lon'),
  addressText: text('address_text'),
  incidentAt: timestamp('incident_at', { withTimezone: true }),
  anonymous: boolean('anonymous').notNull(),
  /** HMAC-SHA256(pepper, receipt code): the code itself cannot be recovered. */
  receiptHash: text('receipt_hash'),
  reporterName: text('reporter_name'),
  reporterEmail: text('reporter_email'),
  reporterPhone: text('reporter_phone'),
  contactConsent: boolean('contact_consent').notNull().default(false),
  contactErasedAt: timestamp('contact_erased_at', { withTimezone: true }),
  // routing decision, shown to staff
  zoneId: integer('zone_id').references(() => zones.id),
  queue: text('queue').notNull(),
  routingRuleId: integer('routing_rule_id').references(() => routingRules.id),
  routingReason: text('routing_reason').notNull(),
  assignedStaffId: integer('assigned_staff_id').references(() => staffUsers.id),
  // workflow
  status: text('status').notNull().default('new'),
  closeReason: text('close_reason'),
  promisedResponseHours: integer('promised_response_hours').notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  firstPublicAnswerAt: timestamp('first_public_answer_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  // moderation: what becomes public
  moderationState: text('moderation_state').notNull().default('pending'),
  publicSummary: text('public_summary'),
  duplicateOfId: bigint('duplicate_of_id', { mode: 'number' }),
  /** When the automatic moderation flags were computed; null = still to flag (see moderation/flag-service.ts). */
  flaggedAt: timestamp('flagged_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('reports_reference_idx').on(t.reference),
  uniqueIndex('reports_receipt_hash_idx').on(t.receiptHash),
  index('reports_zone_status_idx').on(t.zoneId, t.status),
  // Keyset pages of one zone's reports (CSV export): id order within the zone.
  index('reports_zone_id_idx').on(t.zoneId, t.id),
  index('reports_queue_idx').on(t.queue, t.status),
  index('reports_moderation_idx').on(t.moderationState),
  index('reports_unflagged_idx').on(t.id).where(sql`${t.flaggedAt} is null`),
  // Repeated-text spam check: the same normalised text looked up by its hash, not by scanning every description.
  // Near-duplicate candidates (moderation flagging): the latest reports of one category and zone, newest first.
  index('reports_duplicate_candidates_idx').on(t.category, sql`coalesce(${t.zoneId}, 0)`, t.id),
  index('reports_text_hash_idx').on(sql`md5(lower(regexp_replace(btrim(${t.description}), '\\s+', ' ', 'g')))`, t.createdAt),
])

/** A retried submission with the same Idempotency-Key gets the first answer back. Only a hash of the key is kept. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  keyHash: text('key_hash').primaryKey(),
  requestHash: text('request_hash').notNull(),
  reportId: bigint('report_id', { mode: 'number' }).notNull().references(() => reports.id, { onDelete: 'cascade' }),
  reply: jsonb('reply').notNull(),
  createdAt: createdAt(),
})

/** Timeline entries: officers' updates, questions, the reporter's replies, internal notes. */
export const reportUpdates = pgTable('report_updates', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  reportId: bigint('report_id', { mode: 'number' }).notNull().references(() => reports.id, { onDelete: 'cascade' }),
  author: text('author').$type<'staff' | 'reporter' | 'system'>().notNull(),
  staffId: integer('staff_id').references(() => staffUsers.id),
  visibility: text('visibility').$type<'public' | 'reporter' | 'internal'>().notNull(),
  kind: text('kind').$type<'message' | 'question' | 'canned' | 'status' | 'system'>().notNull(),
  cannedKey: text('canned_key'),
  text: text('text'),
  language: text('language'),
  translations: jsonb('translations').$type<Record<string, string>>().notNull().default({}),
  /** A reporter's reply is moderated before anything of it can be public. */
  moderationState: text('moderation_state').notNull().default('pending'),
  flaggedAt: timestamp('flagged_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [
  index('report_updates_report_idx').on(t.reportId, t.id),
  index('report_updates_unflagged_idx').on(t.id).where(sql`${t.flaggedAt} is null and ${t.author} = 'reporter'`),
])

/** Processed photos only: originals are never stored. `storageKey` names the 2048 px WebP, `thumbKey` the 400 px one. */
export const photos = pgTable('photos', {
  id: uuid('id').primaryKey().defaultRandom(),
  reportId: bigint('report_id', { mode: 'number' }).references(() => reports.id, { onDelete: 'cascade' }),
  updateId: bigint('update_id', { mode: 'number' }).references(() => reportUpdates.id, { onDelete: 'cascade' }),
  storageKey: text('storage_key').notNull(),
  thumbKey: text('thumb_key').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  bytes: integer('bytes').notNull(),
  /** Public derivative with the moderator's redactions; a photo is public only once it exists. */
  redactedKey: text('redacted_key'),
  redactedThumbKey: text('redacted_thumb_key'),
  redactions: jsonb('redactions').$type<{ x: number; y: number; width: number; height: number }[]>(),
  createdAt: createdAt(),
}, (t) => [index('photos_report_idx').on(t.reportId)])

/** Every state change, with a monotonically increasing id; NOTIFY carries only this id. */
/** Positions in the event log, handed out in commit order by the sequencer (see realtime/events.ts). */
export const eventPositionSeq = pgSequence('event_position_seq', { startWith: 1 })

export const events = pgTable('events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /**
   * The event's place in the log that readers follow (live sockets resume from it). Null until the sequencer numbers
   * the committed event, which it does in commit order, so a reader of `position > last` never misses one.
   */
  position: bigint('position', { mode: 'number' }),
  type: text('type').notNull(),
  reportId: bigint('report_id', { mode: 'number' }).references(() => reports.id, { onDelete: 'cascade' }),
  zoneId: integer('zone_id').references(() => zones.id),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
}, (t) => [
  index('events_report_idx').on(t.reportId),
  uniqueIndex('events_position_idx').on(t.position),
  index('events_unnumbered_idx').on(t.id).where(sql`${t.position} is null`),
])

/** Who did what, when: every contact-data read, every state change, every admin action. */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  staffId: integer('staff_id').references(() => staffUsers.id),
  action: text('action').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id'),
  reportId: bigint('report_id', { mode: 'number' }),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('audit_log_staff_idx').on(t.staffId, t.at), index('audit_log_report_idx').on(t.reportId)])

/** Officers' posts to reassure a neighbourhood ("we patrolled the park at night this week"). */
export const neighbourhoodPosts = pgTable('neighbourhood_posts', {
  id: serial('id').primaryKey(),
  zoneId: integer('zone_id').notNull().references(() => zones.id),
  staffId: integer('staff_id').notNull().references(() => staffUsers.id),
  title: text('title').notNull(),
  body: text('body').notNull(),
  language: text('language').notNull(),
  photoId: uuid('photo_id').references(() => photos.id),
  /** The neighbourhood priority this post reports progress on ("you said — we did"). */
  priorityId: integer('priority_id').references(() => priorityCandidates.id),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('neighbourhood_posts_zone_idx').on(t.zoneId, t.publishedAt)])

/** Written by the outgoing officer for the successor (key contacts, places, partners, priorities). */
export const handoverNotes = pgTable('handover_notes', {
  id: serial('id').primaryKey(),
  zoneId: integer('zone_id').notNull().references(() => zones.id),
  fromStaffId: integer('from_staff_id').notNull().references(() => staffUsers.id),
  toStaffId: integer('to_staff_id').notNull().references(() => staffUsers.id),
  note: text('note').notNull().default(''),
  movedReports: integer('moved_reports').notNull().default(0),
  seenAt: timestamp('seen_at', { withTimezone: true }),
  createdAt: createdAt(),
})

/**
 * Transactional outbox: a message to send (an email to a consenting reporter) is written in the same transaction as
 * the change it announces, and a worker delivers it with retries; a failing mail server loses nothing. The payload
 * names rows (report, update), never the address: an erased contact is not mailed from a stale copy.
 */
export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  attempts: integer('attempts').notNull().default(0),
  availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  failedAt: timestamp('failed_at', { withTimezone: true }),
  lastError: text('last_error'),
  createdAt: createdAt(),
}, (t) => [index('outbox_due_idx').on(t.availableAt).where(sql`${t.sentAt} is null and ${t.failedAt} is null`)])

/**
 * Automatic moderation flags on a report's description (`updateId` null) or on a resident's reply: hints for the
 * moderator with the matched span, never a decision. Recomputed as a whole when the text is flagged again.
 */
export const moderationFlags = pgTable('moderation_flags', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  reportId: bigint('report_id', { mode: 'number' }).notNull().references(() => reports.id, { onDelete: 'cascade' }),
  updateId: bigint('update_id', { mode: 'number' }).references(() => reportUpdates.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  reason: text('reason').notNull(),
  /** UTF-16 offsets into the flagged text. */
  start: integer('start').notNull(),
  end: integer('end').notNull(),
  match: text('match').notNull(),
  /** Near-duplicates: the earlier report this one resembles. */
  relatedReportId: bigint('related_report_id', { mode: 'number' }).references(() => reports.id, { onDelete: 'cascade' }),
  /** The moderator who flagged the passage by hand; null for an automatic flag. */
  flaggedBy: integer('flagged_by').references(() => staffUsers.id),
  /** What an automatic flag found, as values the moderator's page words in their language (see FlagDetails). */
  details: jsonb('details').$type<FlagDetails>().notNull().default({}),
  createdAt: createdAt(),
}, (t) => [index('moderation_flags_report_idx').on(t.reportId, t.updateId)])

/** A neighbourhood priority round: residents rank candidate issues until `closesAt`, then the team commits to the top. */
export const priorityRounds = pgTable('priority_rounds', {
  id: serial('id').primaryKey(),
  zoneId: integer('zone_id').notNull().references(() => zones.id),
  title: text('title').notNull(),
  intro: text('intro').notNull().default(''),
  language: text('language').notNull(),
  opensAt: timestamp('opens_at', { withTimezone: true }).notNull().defaultNow(),
  closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
  createdByStaffId: integer('created_by_staff_id').notNull().references(() => staffUsers.id),
  committedAt: timestamp('committed_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('priority_rounds_zone_idx').on(t.zoneId, t.closesAt)])

/** An issue residents can rank; once the team commits to it (`committedRank`), it is one of the zone's priorities. */
export const priorityCandidates = pgTable('priority_candidates', {
  id: serial('id').primaryKey(),
  roundId: integer('round_id').notNull().references(() => priorityRounds.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  category: text('category'),
  /** A proposed place, as a generalised cell centre: never a report's exact point. */
  lat: doublePrecision('lat'),
  lon: doublePrecision('lon'),
  committedRank: integer('committed_rank'),
}, (t) => [index('priority_candidates_round_idx').on(t.roundId, t.position)])

/**
 * One anonymous ranking (candidate ids, most important first). `voterKey` is an HMAC of the round and the receipt
 * hash or the browser's signed token: one ballot each, and nothing about who, where from or when.
 */
export const priorityBallots = pgTable('priority_ballots', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  roundId: integer('round_id').notNull().references(() => priorityRounds.id, { onDelete: 'cascade' }),
  voterKey: text('voter_key').notNull(),
  ranking: integer('ranking').array().notNull(),
}, (t) => [uniqueIndex('priority_ballots_voter_idx').on(t.roundId, t.voterKey)])

/** Software allowed to POST Open311 requests. Only SHA-256 of the key is kept; the prefix lets admins recognise it. */
export const open311Clients = pgTable('open311_clients', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull(),
  keyPrefix: text('key_prefix').notNull(),
  createdByStaffId: integer('created_by_staff_id').references(() => staffUsers.id),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('open311_clients_key_idx').on(t.keyHash)])

/** A report posted through Open311: the GeoReport v2 token answered to the client, and which client it was. */
export const open311Requests = pgTable('open311_requests', {
  token: text('token').primaryKey(),
  reportId: bigint('report_id', { mode: 'number' }).notNull().references(() => reports.id, { onDelete: 'cascade' }),
  clientId: integer('client_id').notNull().references(() => open311Clients.id),
}, (t) => [uniqueIndex('open311_requests_report_idx').on(t.reportId)])

/**
 * E-mail alerts of a zone's neighbourhood posts (double opt-in). The address serves this alone and is never linked
 * to a report; unsubscribing deletes the row.
 */
export const zoneSubscriptions = pgTable('zone_subscriptions', {
  id: serial('id').primaryKey(),
  zoneId: integer('zone_id').notNull().references(() => zones.id),
  email: text('email').notNull(),
  language: text('language').notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('zone_subscriptions_email_idx').on(t.zoneId, sql`lower(${t.email})`)])

export type PoliceZone = typeof policeZones.$inferSelect
export type Zone = typeof zones.$inferSelect
export type NewZone = typeof zones.$inferInsert
export type StaffUser = typeof staffUsers.$inferSelect
export type NewStaffUser = typeof staffUsers.$inferInsert
export type Report = typeof reports.$inferSelect
export type NewReport = typeof reports.$inferInsert
export type ReportUpdate = typeof reportUpdates.$inferSelect
export type Photo = typeof photos.$inferSelect
export type Event = typeof events.$inferSelect
export type OutboxMessage = typeof outbox.$inferSelect
export type ModerationFlag = typeof moderationFlags.$inferSelect
export type PriorityRound = typeof priorityRounds.$inferSelect
export type PriorityCandidate = typeof priorityCandidates.$inferSelect
export type Open311Client = typeof open311Clients.$inferSelect
export type ZoneSubscription = typeof zoneSubscriptions.$inferSelect
