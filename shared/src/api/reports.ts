import { Type, type Static } from 'typebox'
import { categoryKeys, type RoutingTarget } from '../domain/categories.js'
import { languageCodes } from '../domain/languages.js'

export const maxPhotosPerSubmission = 5
export const maxPhotoBytes = 15 * 1024 * 1024
export const descriptionMaxLength = 5000

export const LocationPoint = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
}, { additionalProperties: false })
export type LocationPoint = Static<typeof LocationPoint>

export const ReporterContact = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Type.Optional(Type.String({ maxLength: 254, examples: ['an@example.be'] })),
  phone: Type.Optional(Type.String({ maxLength: 40, description: 'Belgian numbers may omit +32', examples: ['0470 12 34 56'] })),
  consent: Type.Boolean({ description: 'The reporter agrees to be contacted about this report' }),
}, { additionalProperties: false })
export type ReporterContact = Static<typeof ReporterContact>

/**
 * A resident's report. As JSON, or as multipart/form-data with this object as JSON in the field `report` and up to
 * five files in `photos`.
 */
export const CreateReportBody = Type.Object({
  category: Type.Enum([...categoryKeys]),
  description: Type.String({ minLength: 1, maxLength: descriptionMaxLength }),
  location: Type.Optional(LocationPoint),
  zoneId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The neighbourhood the resident chose from the list, for reports without a map point' })),
  address: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'Free text; with or instead of a map point' })),
  incidentAt: Type.Optional(Type.String({ format: 'date-time', description: 'When it happened, if not now' })),
  language: Type.Optional(Type.Enum([...languageCodes], { description: 'Language of the description; default: the request language' })),
  anonymous: Type.Boolean(),
  contact: Type.Optional(ReporterContact),
}, { additionalProperties: false })
export type CreateReportBody = Static<typeof CreateReportBody>

const routingTargets: RoutingTarget[] = ['zone_officers', 'municipality', 'oversight']

export const CreateReportReply = Type.Object({
  reference: Type.String({ examples: ['NB-2026-000123'] }),
  receiptCode: Type.String({
    pattern: '^[0-9]{4} [0-9]{4} [0-9]{4} [0-9]{4}$',
    description: 'Shown once (and again only to a retry with the same Idempotency-Key); only a keyed hash is kept',
    examples: ['4821 0937 5512 0046'],
  }),
  target: Type.Enum(routingTargets, { description: 'Who receives the report' }),
  photoCount: Type.Integer({ minimum: 0 }),
})
export type CreateReportReply = Static<typeof CreateReportReply>
