import { Type, type Static } from 'typebox'
import { categoryKeys } from '../domain/categories.js'
import { queues } from '../domain/statuses.js'
import { Id } from './ids.js'
import { Nullable } from './nullable.js'

const literals = <T extends string>(values: readonly T[]) => Type.Enum([...values])

/** GeoJSON Polygon or MultiPolygon in WGS84 [longitude, latitude]; the server checks rings in depth. */
export const ZoneGeometry = Type.Object({
  type: Type.Enum(['Polygon', 'MultiPolygon']),
  coordinates: Type.Array(Type.Unknown()),
})
export type ZoneGeometry = Static<typeof ZoneGeometry>

export const ZoneIdParams = Type.Object({ id: Id() })
export type ZoneIdParams = Static<typeof ZoneIdParams>

export const PublicZone = Type.Object({
  id: Type.Integer(),
  externalId: Type.String(),
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String(), { description: 'Names by language code, when the source has them' }),
  policeZoneId: Type.Union([Type.String(), Type.Null()]),
  geometry: ZoneGeometry,
})
export type PublicZone = Static<typeof PublicZone>

export const PublicZoneList = Type.Array(PublicZone)
export type PublicZoneList = Static<typeof PublicZoneList>

export const ZonesQuery = Type.Object({
  policeZoneId: Type.Optional(Type.String({ maxLength: 20 })),
  geometry: Type.Boolean({ default: true, description: 'false: names only, for pickers' }),
})
export type ZonesQuery = Static<typeof ZonesQuery>

export const ZoneSummary = Type.Object({
  id: Type.Integer(),
  externalId: Type.String(),
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  policeZoneId: Type.Union([Type.String(), Type.Null()]),
})
export type ZoneSummary = Static<typeof ZoneSummary>

export const ZoneSummaryList = Type.Array(ZoneSummary)

export const ZoneDetail = Type.Object({
  id: Type.Integer(),
  externalId: Type.String(),
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  policeZone: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  geometry: ZoneGeometry,
  promisedResponseHours: Type.Integer(),
  officers: Type.Array(Type.Object({
    firstName: Type.String(),
    primary: Type.Boolean(),
    photoUrl: Type.Union([Type.String(), Type.Null()], { description: 'Their 400 px WebP portrait, only when they chose to show it' }),
  }), { description: 'Only officers who chose to be shown, by first name' }),
})
export type ZoneDetail = Static<typeof ZoneDetail>

export const LocateQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
})
export type LocateQuery = Static<typeof LocateQuery>

export const LocateReply = Type.Object({
  zone: Type.Union([ZoneSummary, Type.Null()], { description: 'null: outside every zone (such reports go to the central queue)' }),
})
export type LocateReply = Static<typeof LocateReply>

export const PoliceZone = Type.Object({ id: Type.String(), name: Type.String() })
export type PoliceZone = Static<typeof PoliceZone>
export const PoliceZoneList = Type.Array(PoliceZone)
export const PoliceZoneBody = Type.Object({ id: Type.String({ minLength: 1, maxLength: 20 }), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })
export type PoliceZoneBody = Static<typeof PoliceZoneBody>

// ---------------------------------------------------------------- admin: import, edit, retire

export const ImportZonesBody = Type.Object({
  featureCollection: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) }, { additionalProperties: true }),
  policeZoneId: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'Group every imported zone under this police zone' })),
  policeZoneProperty: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'Or take each police zone from this feature property' })),
  idProperty: Type.String({ minLength: 1, maxLength: 60, default: 'id' }),
  nameProperty: Type.String({ minLength: 1, maxLength: 60, default: 'name' }),
  promisedResponseHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 })),
})
export type ImportZonesBody = Static<typeof ImportZonesBody>

export const ImportZonesReply = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  zones: Type.Array(Type.Object({ id: Type.Integer(), externalId: Type.String(), name: Type.String() })),
})
export type ImportZonesReply = Static<typeof ImportZonesReply>

export const UpdateZoneBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  names: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z]{2}$' }), Type.String({ minLength: 1, maxLength: 200 }))),
  policeZoneId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
  geometry: Type.Optional(ZoneGeometry),
  promisedResponseHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 60 })),
  retired: Type.Optional(Type.Boolean({ description: 'true retires the zone (no new reports are routed to it); false restores it' })),
})
export type UpdateZoneBody = Static<typeof UpdateZoneBody>

export const AdminZone = Type.Object({
  id: Type.Integer(),
  externalId: Type.String(),
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  policeZoneId: Type.Union([Type.String(), Type.Null()]),
  promisedResponseHours: Type.Integer(),
  version: Type.Integer(),
  retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  updatedAt: Type.String({ format: 'date-time' }),
})
export type AdminZone = Static<typeof AdminZone>

export const AdminZoneList = Type.Array(AdminZone)

export const ZoneHistoryEntry = Type.Object({
  version: Type.Integer(),
  change: Type.Enum(['created', 'edited', 'retired', 'restored']),
  name: Type.String(),
  policeZoneId: Type.Union([Type.String(), Type.Null()]),
  geometry: ZoneGeometry,
  staffId: Type.Union([Type.Integer(), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
})
export type ZoneHistoryEntry = Static<typeof ZoneHistoryEntry>
export const ZoneHistoryList = Type.Array(ZoneHistoryEntry)

// ---------------------------------------------------------------- officers and handover

export const ZoneOfficerView = Type.Object({
  assignmentId: Type.Integer(),
  staffId: Type.Integer(),
  displayName: Type.String(),
  primary: Type.Boolean(),
  startsOn: Type.String({ format: 'date' }),
  endsOn: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: 'Exclusive: the first day no longer assigned' }),
  active: Type.Boolean(),
})
export type ZoneOfficerView = Static<typeof ZoneOfficerView>
export const ZoneOfficerList = Type.Array(ZoneOfficerView)

export const AssignOfficerBody = Type.Object({
  staffId: Id(),
  primary: Type.Boolean({ default: false, description: 'The primary officer receives new reports of the zone' }),
  startsOn: Type.Optional(Type.String({ format: 'date' })),
  endsOn: Type.Optional(Type.String({ format: 'date' })),
})
export type AssignOfficerBody = Static<typeof AssignOfficerBody>

export const AssignmentParams = Type.Object({ id: Id(), assignmentId: Id() })
export type AssignmentParams = Static<typeof AssignmentParams>

export const HandoverBody = Type.Object({
  fromStaffId: Id(),
  toStaffId: Id(),
  note: Type.Optional(Type.String({ maxLength: 20_000, description: 'Usually written afterwards by the outgoing officer' })),
})
export type HandoverBody = Static<typeof HandoverBody>

export const HandoverReply = Type.Object({
  handoverId: Type.Integer(),
  movedReports: Type.Integer(),
  references: Type.Array(Type.String()),
})
export type HandoverReply = Static<typeof HandoverReply>

// ---------------------------------------------------------------- routing rules

/** Closed to undeclared fields: the service writes the body as the row, and an `id` or `createdAt` must not get there. */
export const RoutingRuleBody = Type.Object({
  position: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Lower first; the first matching rule wins' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  category: Nullable(literals(categoryKeys), { default: null, description: 'null: every category the zone officers receive' }),
  zoneId: Nullable(Id(), { default: null, description: 'null: every zone, and reports outside every zone' }),
  weekdays: Nullable(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true }), { default: null, description: 'ISO weekdays, 1 = Monday' }),
  fromMinute: Nullable(Type.Integer({ minimum: 0, maximum: 1439 }), { default: null, description: 'Minutes after midnight, Europe/Brussels' }),
  toMinute: Nullable(Type.Integer({ minimum: 0, maximum: 1440 }), { default: null, description: 'Exclusive; below fromMinute wraps past midnight' }),
  queue: literals(queues),
  assignStaffId: Nullable(Id(), { default: null }),
  enabled: Type.Boolean({ default: true }),
}, { additionalProperties: false })
export type RoutingRuleBody = Static<typeof RoutingRuleBody>

export const RoutingRuleView = Type.Object({ id: Type.Integer(), ...RoutingRuleBody.properties })
export type RoutingRuleView = Static<typeof RoutingRuleView>
export const RoutingRuleList = Type.Array(RoutingRuleView)

export const RuleIdParams = Type.Object({ id: Id() })
