import { Type, type Static } from 'typebox'
import { categoryKeys } from '../domain/categories.js'
import { moderationStates } from '../domain/statuses.js'
import { statuses } from '../domain/statuses.js'
import { replyDecisions, reportDecisions } from '../domain/moderation.js'
import { flagGroups, flagKindKeys, manualFlagKinds } from '../moderation/flags.js'

/**
 * The moderators' API (/api/staff/moderation/…). Moderators see a resident's words and photos, never a named
 * reporter's contact data: these schemas have no field that could carry it.
 */

export const Flag = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum([...flagKindKeys]),
  group: Type.Enum([...flagGroups]),
  reason: Type.String({ description: 'Why, for the moderator: the list, the country of a number, the similar report' }),
  start: Type.Integer({ description: 'UTF-16 offset of the match in the text' }),
  end: Type.Integer(),
  match: Type.String(),
  relatedReference: Type.Union([Type.String(), Type.Null()], { description: 'Near-duplicates: the earlier report' }),
  flaggedBy: Type.Union([Type.String(), Type.Null()], { description: 'The moderator who flagged it by hand; null when automatic' }),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
    description: 'What an automatic flag found: country, phone type, slur target, language, count, similarity, reference',
  }),
})
export type Flag = Static<typeof Flag>

/** A rectangle as fractions of the image's width and height (0..1), so it does not depend on the displayed size. */
export const Rectangle = Type.Object({
  x: Type.Number({ minimum: 0, maximum: 1 }),
  y: Type.Number({ minimum: 0, maximum: 1 }),
  width: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  height: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
}, { additionalProperties: false })
export type Rectangle = Static<typeof Rectangle>

export const ModerationPhoto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  width: Type.Integer(),
  height: Type.Integer(),
  url: Type.String({ description: 'The unredacted 2048 px WebP, staff only' }),
  thumbUrl: Type.String(),
  /** The moderator confirmed the public derivative (possibly with no rectangle at all). */
  redacted: Type.Boolean(),
  redactions: Type.Union([Type.Array(Rectangle), Type.Null()]),
  redactedUrl: Type.Union([Type.String(), Type.Null()], { description: 'The public derivative, once confirmed' }),
  redactedThumbUrl: Type.Union([Type.String(), Type.Null()], { description: 'Its 400 px thumbnail, as the public page lists it' }),
})
export type ModerationPhoto = Static<typeof ModerationPhoto>

export const ModerationReport = Type.Object({
  type: Type.Literal('report'),
  id: Type.Integer(),
  reference: Type.String(),
  category: Type.Enum([...categoryKeys]),
  description: Type.String(),
  language: Type.String(),
  detectedLanguage: Type.Union([Type.String(), Type.Null()]),
  zone: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
  status: Type.Enum([...statuses]),
  moderationState: Type.Enum([...moderationStates]),
  publicSummary: Type.Union([Type.String(), Type.Null()]),
  duplicateOf: Type.Union([Type.String(), Type.Null()], { description: 'The surviving report after a merge' }),
  createdAt: Type.String({ format: 'date-time' }),
  flaggedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  flags: Type.Array(Flag),
  photos: Type.Array(ModerationPhoto),
  erasedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the reporter erased their description, address and photos; the description then reads as a neutral marker',
  }),
})
export type ModerationReport = Static<typeof ModerationReport>

export const ModerationReply = Type.Object({
  type: Type.Literal('reply'),
  id: Type.Integer({ description: 'The update id' }),
  reportId: Type.Integer(),
  reference: Type.String(),
  text: Type.Union([Type.String(), Type.Null()]),
  language: Type.Union([Type.String(), Type.Null()]),
  moderationState: Type.Enum([...moderationStates]),
  createdAt: Type.String({ format: 'date-time' }),
  flaggedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  flags: Type.Array(Flag),
  photos: Type.Array(ModerationPhoto),
})
export type ModerationReply = Static<typeof ModerationReply>

export const ModerationQueueQuery = Type.Object({
  type: Type.Optional(Type.Enum(['report', 'reply'], { description: 'Only reports or only replies; both by default' })),
  sort: Type.Enum(['priority', 'newest'], { default: 'priority', description: 'priority: most flagged first, then newest' }),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
}, { additionalProperties: false })
export type ModerationQueueQuery = Static<typeof ModerationQueueQuery>

export const ModerationQueue = Type.Object({
  items: Type.Array(Type.Union([ModerationReport, ModerationReply])),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
})
export type ModerationQueue = Static<typeof ModerationQueue>

export type { ReplyDecision, ReportDecision } from '../domain/moderation.js'

export const ReportDecisionBody = Type.Object({
  decision: Type.Enum([...reportDecisions]),
  summary: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'publish_summary: the public text, written by the moderator' })),
  reason: Type.String({ minLength: 1, maxLength: 500, description: 'Kept in the audit log, never shown publicly' }),
}, { additionalProperties: false })
export type ReportDecisionBody = Static<typeof ReportDecisionBody>

export const MergeBody = Type.Object({
  into: Type.String({ minLength: 1, maxLength: 40, description: 'Reference of the surviving report', examples: ['NB-2026-000123'] }),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
}, { additionalProperties: false })
export type MergeBody = Static<typeof MergeBody>

export const AddFlagBody = Type.Object({
  kind: Type.Enum([...manualFlagKinds]),
  passage: Type.String({ minLength: 1, maxLength: 5000, description: 'The exact words, as they stand in the text' }),
  start: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000, description: 'Where the passage starts (UTF-16 offset), when it occurs more than once; else its first occurrence' })),
  note: Type.Optional(Type.String({ maxLength: 500, description: 'Why, for the other moderators' })),
}, { additionalProperties: false })
export type AddFlagBody = Static<typeof AddFlagBody>

export const ReplyDecisionBody = Type.Object({
  decision: Type.Enum([...replyDecisions], { description: 'accept: the reply stays with the officers (it is never public)' }),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
}, { additionalProperties: false })
export type ReplyDecisionBody = Static<typeof ReplyDecisionBody>

export const RedactionBody = Type.Object({
  rectangles: Type.Array(Rectangle, { maxItems: 50, description: 'Faces, plates, house numbers; an empty list confirms the photo as it is' }),
}, { additionalProperties: false })
export type RedactionBody = Static<typeof RedactionBody>
