import { Type, type Static } from 'typebox'
import { categoryKeys } from '../domain/categories.js'
import { languageCodes } from '../domain/languages.js'
import { roles } from '../domain/roles.js'
import { queues, queueSorts, statuses } from '../domain/statuses.js'
import { Nullable } from './nullable.js'
import { Erasure, PhotoRef } from './followup.js'
import { Id } from './ids.js'

const literals = <T extends string>(values: readonly T[]) => Type.Enum([...values])

export const RoleSchema = literals(roles)

// ---------------------------------------------------------------- sessions

export const LoginBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  totp: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Six-digit code when two-factor login is on' })),
})
export type LoginBody = Static<typeof LoginBody>

export const StaffMe = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  language: Type.String(),
  totpEnabled: Type.Boolean(),
  zones: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), primary: Type.Boolean() }), { description: "An officer's active zones" }),
})
export type StaffMe = Static<typeof StaffMe>

export const SessionReply = Type.Object({
  staff: StaffMe,
  csrfToken: Type.String({ description: 'Send it back as the x-csrf-token header on every write' }),
  expiresAt: Type.String({ format: 'date-time' }),
})
export type SessionReply = Static<typeof SessionReply>

export const PasswordChangeBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  newPassword: Type.String({ maxLength: 1024 }),
})
export type PasswordChangeBody = Static<typeof PasswordChangeBody>

export const TotpSetupReply = Type.Object({
  secret: Type.String({ description: 'Base32 secret, shown once' }),
  uri: Type.String({ description: 'otpauth:// URI for a QR code' }),
})
export type TotpSetupReply = Static<typeof TotpSetupReply>

export const TotpEnableBody = Type.Object({
  secret: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Z2-7]+=*$' }),
  code: Type.String({ pattern: '^[0-9]{6}$' }),
})
export type TotpEnableBody = Static<typeof TotpEnableBody>

export const TotpDisableBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) })
export type TotpDisableBody = Static<typeof TotpDisableBody>

// ---------------------------------------------------------------- accounts (admin)

export const StaffUserView = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  displayName: Type.String(),
  publicFirstName: Type.Union([Type.String(), Type.Null()]),
  showOnZonePage: Type.Boolean(),
  role: RoleSchema,
  language: Type.String(),
  totpEnabled: Type.Boolean(),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})
export type StaffUserView = Static<typeof StaffUserView>

export const CreateStaffBody = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  displayName: Type.String({ minLength: 1, maxLength: 120 }),
  role: RoleSchema,
  password: Type.String({ maxLength: 1024 }),
  language: Type.Optional(literals(languageCodes)),
  publicFirstName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  showOnZonePage: Type.Optional(Type.Boolean()),
})
export type CreateStaffBody = Static<typeof CreateStaffBody>

export const UpdateStaffBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  role: Type.Optional(RoleSchema),
  language: Type.Optional(literals(languageCodes)),
  publicFirstName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 60 }))),
  showOnZonePage: Type.Optional(Type.Boolean()),
  disabled: Type.Optional(Type.Boolean({ description: 'Disabling ends every session at once' })),
  unlock: Type.Optional(Type.Literal(true)),
})
export type UpdateStaffBody = Static<typeof UpdateStaffBody>

// ---------------------------------------------------------------- the staff member's own public profile

export const StaffProfile = Type.Object({
  publicFirstName: Type.Union([Type.String(), Type.Null()], { description: 'Set by an admin; residents see only this name' }),
  showOnZonePage: Type.Boolean({ description: 'Set by an admin: listed on the zone pages of their active zones' }),
  photoUrl: Type.Union([Type.String(), Type.Null()], { description: 'Their own photo for themselves (session cookie), 400 px WebP; null when none' }),
  photoPublic: Type.Boolean({ description: 'Their own choice: the photo is shown beside their first name on the zone pages' }),
  photoShown: Type.Boolean({ description: 'Whether residents see the photo now: a photo, their choice, and being listed on a zone page' }),
})
export type StaffProfile = Static<typeof StaffProfile>

export const StaffProfileBody = Type.Object({
  photoPublic: Type.Boolean(),
}, { additionalProperties: false })
export type StaffProfileBody = Static<typeof StaffProfileBody>

export const StaffIdParams = Type.Object({ id: Id() })
export type StaffIdParams = Static<typeof StaffIdParams>

export const StaffList = Type.Array(StaffUserView)
export type StaffList = Static<typeof StaffList>

// ---------------------------------------------------------------- the staff's report queue

export const OverdueSchema = literals(['on_time', 'overdue', 'badly_overdue'] as const)

export const StaffReportsQuery = Type.Object({
  status: Type.Optional(Type.Array(literals(statuses), { description: 'Repeatable; default: every open status' })),
  category: Type.Optional(Type.Array(literals(categoryKeys))),
  zoneId: Type.Optional(Id()),
  queue: Type.Optional(literals(queues)),
  overdue: Type.Optional(Type.Boolean({ description: 'Only reports past their promised first answer' })),
  sort: Type.Optional(Type.Enum([...queueSorts], {
    description: 'oldest (default) or newest filed first; overdue: latest against the promised response time first; due: earliest due date first',
  })),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
})
export type StaffReportsQuery = Static<typeof StaffReportsQuery>

export const RoutingView = Type.Object({
  zoneId: Type.Union([Type.Integer(), Type.Null()]),
  zoneName: Type.Union([Type.String(), Type.Null()]),
  queue: literals(queues),
  ruleId: Type.Union([Type.Integer(), Type.Null()]),
  ruleName: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String({ description: 'Which floor or rule fired, for staff' }),
  assignedStaffId: Type.Union([Type.Integer(), Type.Null()]),
  assignedStaffName: Type.Union([Type.String(), Type.Null()]),
})
export type RoutingView = Static<typeof RoutingView>

export const StaffReportSummary = Type.Object({
  reference: Type.String(),
  category: Type.String(),
  status: Type.String(),
  excerpt: Type.String({ description: 'First 200 characters of the description' }),
  anonymous: Type.Boolean(),
  zoneId: Type.Union([Type.Integer(), Type.Null()]),
  zoneName: Type.Union([Type.String(), Type.Null()]),
  queue: Type.String(),
  assignedStaffId: Type.Union([Type.Integer(), Type.Null()]),
  moderationState: Type.String(),
  overdue: OverdueSchema,
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})
export type StaffReportSummary = Static<typeof StaffReportSummary>

export const StaffReportsPage = Type.Object({
  items: Type.Array(StaffReportSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
})
export type StaffReportsPage = Static<typeof StaffReportsPage>

export const ReportRefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 40 }) })
export type ReportRefParams = Static<typeof ReportRefParams>

export const StaffTimelineItem = Type.Object({
  id: Type.Integer(),
  author: literals(['staff', 'reporter', 'system'] as const),
  staffId: Type.Union([Type.Integer(), Type.Null()]),
  staffName: Type.Union([Type.String(), Type.Null()]),
  visibility: literals(['public', 'reporter', 'internal'] as const),
  kind: Type.String(),
  cannedKey: Type.Union([Type.String(), Type.Null()]),
  text: Type.Union([Type.String(), Type.Null()]),
  language: Type.Union([Type.String(), Type.Null()]),
  moderationState: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})
export type StaffTimelineItem = Static<typeof StaffTimelineItem>

/** A photo as staff see it (unredacted, through /api/photos with the session); `updateId` ties it to a timeline entry. */
export const StaffPhoto = Type.Object({ ...PhotoRef.properties, updateId: Type.Union([Type.Integer(), Type.Null()]) })
export type StaffPhoto = Static<typeof StaffPhoto>

export const StaffReportDetail = Type.Object({
  reference: Type.String(),
  category: Type.String(),
  description: Type.String(),
  language: Type.String(),
  detectedLanguage: Type.Union([Type.String(), Type.Null()], { description: 'Detected by moderation when it differs from the declared language' }),
  status: Type.String(),
  closeReason: Type.Union([Type.String(), Type.Null()]),
  anonymous: Type.Boolean(),
  photos: Type.Array(StaffPhoto, { description: "The report's photos and those of its updates (reporter's replies included)" }),
  hasContact: Type.Boolean({ description: 'A named report whose contact data may be asked for separately (audited)' }),
  canSeeContact: Type.Boolean(),
  location: Type.Union([Type.Object({ lat: Type.Number(), lon: Type.Number() }), Type.Null()]),
  addressText: Type.Union([Type.String(), Type.Null()]),
  incidentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  routing: RoutingView,
  moderationState: Type.String(),
  publicSummary: Type.Union([Type.String(), Type.Null()]),
  promisedResponseHours: Type.Integer(),
  overdue: OverdueSchema,
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  timeline: Type.Array(StaffTimelineItem),
  erased: Type.Array(Erasure, { description: "What of the reporter's content was erased, why and when; the description then reads as a neutral marker" }),
})
export type StaffReportDetail = Static<typeof StaffReportDetail>

export const ContactReply = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  contactConsent: Type.Boolean(),
})
export type ContactReply = Static<typeof ContactReply>

// ---------------------------------------------------------------- handover

export const HandoverNoteView = Type.Object({
  id: Type.Integer(),
  zoneId: Type.Integer(),
  zoneName: Type.String(),
  fromStaffId: Type.Integer(),
  fromStaffName: Type.String(),
  toStaffId: Type.Integer(),
  toStaffName: Type.String(),
  note: Type.String(),
  movedReports: Type.Integer(),
  seenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})
export type HandoverNoteView = Static<typeof HandoverNoteView>

export const HandoverList = Type.Array(HandoverNoteView)
export type HandoverList = Static<typeof HandoverList>

export const HandoverIdParams = Type.Object({ id: Id() })
export type HandoverIdParams = Static<typeof HandoverIdParams>

export const HandoverNoteBody = Type.Object({
  note: Type.String({ minLength: 1, maxLength: 20_000, description: 'Key contacts, places, partners, community priorities' }),
})
export type HandoverNoteBody = Static<typeof HandoverNoteBody>

// ---------------------------------------------------------------- audit

export const AuditQuery = Type.Object({
  reference: Type.Optional(Type.String({ maxLength: 40, description: 'Report reference' })),
  staffId: Type.Optional(Id()),
  action: Type.Optional(Type.String({ maxLength: 80 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
})
export type AuditQuery = Static<typeof AuditQuery>

export const AuditEntryView = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  staffId: Type.Union([Type.Integer(), Type.Null()]),
  staffName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
})
export type AuditEntryView = Static<typeof AuditEntryView>

export const AuditPage = Type.Object({
  items: Type.Array(AuditEntryView),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
})
export type AuditPage = Static<typeof AuditPage>
