import { Type, type Static } from 'typebox'
import { categoryKeys } from '../domain/categories.js'
import { closeReasons, statuses } from '../domain/statuses.js'
import { Id } from './ids.js'

/**
 * The public projection (/api/public/…): only what a moderator published. Text is the moderator's summary or the
 * approved original, photos are the redacted derivatives, the location is snapped to a ~100 m grid and every time is
 * rounded down to the hour.
 */

export const PublicPhoto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  width: Type.Integer(),
  height: Type.Integer(),
  url: Type.String({ description: 'The redacted WebP' }),
  thumbUrl: Type.String(),
})
export type PublicPhoto = Static<typeof PublicPhoto>

export const PublicUpdate = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time', description: 'Rounded down to the hour' }),
  author: Type.Enum(['staff', 'system']),
  kind: Type.Enum(['message', 'question', 'canned', 'status', 'system']),
  cannedKey: Type.Optional(Type.String()),
  text: Type.Union([Type.String(), Type.Null()], { description: "In the reader's language when a canned text or translation exists" }),
  language: Type.Union([Type.String(), Type.Null()]),
  photos: Type.Array(PublicPhoto),
})
export type PublicUpdate = Static<typeof PublicUpdate>

export const PublicReportSummary = Type.Object({
  reference: Type.String({ examples: ['NB-2026-000123'] }),
  category: Type.Enum([...categoryKeys]),
  text: Type.String({ description: "The moderator's summary or the approved original" }),
  textKind: Type.Enum(['summary', 'original']),
  language: Type.Union([Type.String(), Type.Null()], { description: 'Language of an approved original; null for a summary' }),
  zone: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  status: Type.Enum([...statuses]),
  closeReason: Type.Union([Type.Enum([...closeReasons]), Type.Null()]),
  location: Type.Union([Type.Object({ lat: Type.Number(), lon: Type.Number() }, { description: 'Centre of a ~100 m grid cell' }), Type.Null()]),
  filedAt: Type.String({ format: 'date-time', description: 'Rounded down to the hour' }),
  photos: Type.Array(PublicPhoto),
})
export type PublicReportSummary = Static<typeof PublicReportSummary>

export const PublicReport = Type.Object({ ...PublicReportSummary.properties, updates: Type.Array(PublicUpdate) })
export type PublicReport = Static<typeof PublicReport>

export const PublicReportsQuery = Type.Object({
  zone: Type.Optional(Id({ description: 'Zone id' })),
  bbox: Type.Optional(Type.String({
    pattern: '^-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?$',
    description: 'minLon,minLat,maxLon,maxLat; compared with the generalised location',
    examples: ['4.35,50.82,4.39,50.84'],
  })),
  category: Type.Optional(Type.Enum([...categoryKeys])),
  status: Type.Optional(Type.Enum([...statuses, 'open'], { description: "A status, or 'open' for every open one" })),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
}, { additionalProperties: false })
export type PublicReportsQuery = Static<typeof PublicReportsQuery>

export const PublicReportList = Type.Object({
  items: Type.Array(PublicReportSummary),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
})
export type PublicReportList = Static<typeof PublicReportList>
