import { Type, type Static } from 'typebox'

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over Nabij's categories and public projection.
 * Field names are the specification's (snake_case), not ours: clients are written against the spec.
 */

/** The specification's field lists, in its order; the conformance tests check replies against them. */
export const serviceFields = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'] as const
export const requestFields = [
  'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
  'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
] as const

export const formats = ['json', 'xml'] as const
export type Format = (typeof formats)[number]
const FormatParam = Type.Enum([...formats])

export const Open311Error = Type.Object({ code: Type.Integer(), description: Type.String() })
export const Open311Errors = Type.Array(Open311Error)
export type Open311Errors = Static<typeof Open311Errors>

export const Service = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean(),
  type: Type.Enum(['realtime', 'batch', 'blackbox']),
  keywords: Type.String(),
  group: Type.String(),
})
export type Service = Static<typeof Service>

export const ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(Type.Object({ code: Type.String() }), { description: 'Nabij services take no extra attributes' }),
})
export type ServiceDefinition = Static<typeof ServiceDefinition>

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()])

export const ServiceRequest = Type.Object({
  service_request_id: Type.String(),
  status: Type.Enum(['open', 'closed']),
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Type.String({ description: "The moderator's summary or the approved original" }),
  agency_responsible: Type.String(),
  service_notice: Nullable(Type.String()),
  requested_datetime: Type.String({ description: 'ISO 8601, rounded down to the hour' }),
  updated_datetime: Type.String({ description: 'ISO 8601, rounded down to the hour' }),
  expected_datetime: Nullable(Type.String()),
  address: Nullable(Type.String({ description: 'Never published: a reporter\'s address text can identify them' })),
  address_id: Nullable(Type.String()),
  zipcode: Nullable(Type.String()),
  lat: Nullable(Type.Number({ description: 'Centre of a ~100 m cell, never the exact point' })),
  long: Nullable(Type.Number()),
  media_url: Nullable(Type.String({ description: 'The redacted photo' })),
})
export type ServiceRequest = Static<typeof ServiceRequest>
export const ServiceRequests = Type.Array(ServiceRequest)

export const FormatParams = Type.Object({ format: FormatParam })
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }), format: FormatParam })
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), format: FormatParam })

export const RequestsQuery = Type.Object({
  service_request_id: Type.Optional(Type.String({ maxLength: 2000, description: 'Comma-separated ids; other filters are then ignored' })),
  service_code: Type.Optional(Type.String({ maxLength: 500, description: 'Comma-separated service codes' })),
  status: Type.Optional(Type.String({ pattern: '^(open|closed)(,(open|closed))?$', description: 'open, closed or both' })),
  start_date: Type.Optional(Type.String({ format: 'date-time' })),
  end_date: Type.Optional(Type.String({ format: 'date-time' })),
  jurisdiction_id: Type.Optional(Type.String()),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1, description: 'Extension: page of results' }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Extension: results per page' }),
  lang: Type.Optional(Type.String()),
})
export type RequestsQuery = Static<typeof RequestsQuery>

/** POST requests: form-encoded as the specification has it, or JSON. */
export const PostRequestBody = Type.Object({
  api_key: Type.String({ minLength: 1, maxLength: 200 }),
  service_code: Type.String({ minLength: 1, maxLength: 64 }),
  jurisdiction_id: Type.Optional(Type.String()),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  address_string: Type.Optional(Type.String({ maxLength: 300 })),
  address_id: Type.Optional(Type.String()),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  device_id: Type.Optional(Type.String()),
  account_id: Type.Optional(Type.String()),
  first_name: Type.Optional(Type.String({ maxLength: 100 })),
  last_name: Type.Optional(Type.String({ maxLength: 100 })),
  phone: Type.Optional(Type.String({ maxLength: 40 })),
  description: Type.String({ minLength: 1, maxLength: 5000 }),
  media_url: Type.Optional(Type.String({ description: 'Ignored: Nabij never fetches a photo from elsewhere' })),
})
export type PostRequestBody = Static<typeof PostRequestBody>

export const PostRequestReply = Type.Array(Type.Object({
  service_request_id: Type.String(),
  token: Type.String(),
  service_notice: Nullable(Type.String()),
  account_id: Nullable(Type.String()),
  receipt_code: Type.String({ description: 'Extension: the reporter\'s receipt code to follow the report in Nabij; shown once' }),
}))
export type PostRequestReply = Static<typeof PostRequestReply>

export const TokenReply = Type.Array(Type.Object({ service_request_id: Type.Union([Type.String(), Type.Null()]), token: Type.String() }))
export type TokenReply = Static<typeof TokenReply>

// ---------------------------------------------------------------- clients (admin)

export const Open311Client = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  keyPrefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  revoked: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})
export type Open311Client = Static<typeof Open311Client>

export const CreateOpen311ClientBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 120 }) }, { additionalProperties: false })
export type CreateOpen311ClientBody = Static<typeof CreateOpen311ClientBody>

export const CreatedOpen311Client = Type.Object({
  ...Open311Client.properties,
  apiKey: Type.String({ description: 'Shown once: only its SHA-256 is kept' }),
})
export type CreatedOpen311Client = Static<typeof CreatedOpen311Client>
