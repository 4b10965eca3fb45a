import { Type, type Static, type TOptional, type TString } from 'typebox'
import { cannedUpdateKeys } from '../domain/canned-updates.js'
import { languageCodes, type Language } from '../domain/languages.js'
import { visibilities } from '../domain/statuses.js'
import { BigId, Id } from './ids.js'

export const LanguageSchema = Type.Enum([...languageCodes])
export const VisibilitySchema = Type.Enum([...visibilities], {
  description: "public: anyone who may see the report; reporter: only the reporter (and staff); internal: staff only, never residents",
})
export const CannedKeySchema = Type.Enum([...cannedUpdateKeys])

/** Officer-added translations of a free-text update, by language code. */
export const Translations = Type.Object(
  Object.fromEntries(languageCodes.map((code) => [code, Type.Optional(Type.String({ minLength: 1, maxLength: 5000 }))])) as Record<Language, TOptional<TString>>,
  { additionalProperties: false },
)
export type Translations = Static<typeof Translations>

const updateOptions = {
  visibility: VisibilitySchema,
  question: Type.Optional(Type.Boolean({ description: 'A question to the reporter; needs visibility "reporter"' })),
  waitForReporter: Type.Optional(Type.Boolean({ description: 'With a question: the report waits for the reporter' })),
}

export const CannedUpdateBody = Type.Object({ cannedKey: CannedKeySchema, ...updateOptions }, { additionalProperties: false })
export const TextUpdateBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 5000 }),
  language: LanguageSchema,
  translations: Type.Optional(Translations),
  ...updateOptions,
}, { additionalProperties: false })

/** Either a canned update or free text in a named language, never both. */
export const PostUpdateBody = Type.Union([CannedUpdateBody, TextUpdateBody])
export type PostUpdateBody = Static<typeof PostUpdateBody>

export const TranslationsBody = Type.Object({ translations: Translations }, { additionalProperties: false })
export type TranslationsBody = Static<typeof TranslationsBody>

/**
 * One entry of a report's timeline as staff see it: everything as stored, internal notes included. Canned text is
 * the key (`update.<cannedKey>`), rendered in the reader's language by the client; free text is in `language` with
 * the officer's translations beside it. Kind `status` names the new status as a locale key in `cannedKey`
 * (`status.in_progress`, `close_reason.no_action_possible`). Residents get the rendered `TimelineItem` of
 * api/followup.ts instead (times rounded to the hour, never internal notes, never staff names).
 */
export const StaffTimelineItem = Type.Object({
  id: Type.Integer(),
  author: Type.Enum(['staff', 'reporter', 'system']),
  kind: Type.Enum(['message', 'question', 'canned', 'status', 'system']),
  visibility: VisibilitySchema,
  cannedKey: Type.Union([Type.String(), Type.Null()]),
  text: Type.Union([Type.String(), Type.Null()]),
  language: Type.Union([Type.String(), Type.Null()]),
  translations: Type.Record(Type.String(), Type.String()),
  moderationState: Type.String({ description: "A reporter's reply stays 'pending' until moderated" }),
  createdAt: Type.String({ format: 'date-time' }),
  staffId: Type.Union([Type.Integer(), Type.Null()]),
  staffName: Type.Union([Type.String(), Type.Null()]),
})
export type StaffTimelineItem = Static<typeof StaffTimelineItem>

export const StaffTimelineReply = Type.Object({ items: Type.Array(StaffTimelineItem) })
export type StaffTimelineReply = Static<typeof StaffTimelineReply>

export const UpdateParams = Type.Object({ ref: Type.String({ maxLength: 64 }), updateId: BigId() })
export type UpdateParams = Static<typeof UpdateParams>

// ---------------------------------------------------------------- machine translation (optional)

export const TranslateBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 5000 }),
  from: LanguageSchema,
  to: Type.Array(LanguageSchema, { minItems: 1, maxItems: 10, uniqueItems: true }),
}, { additionalProperties: false })
export type TranslateBody = Static<typeof TranslateBody>

/** Suggestions only: the officer reads them and sends the ones they keep as `translations`. */
export const TranslateReply = Type.Object({ translations: Type.Record(Type.String(), Type.String()) })
export type TranslateReply = Static<typeof TranslateReply>

export const TranslateStatusReply = Type.Object({ available: Type.Boolean({ description: 'A translation provider is configured' }) })
export type TranslateStatusReply = Static<typeof TranslateStatusReply>

// ---------------------------------------------------------------- neighbourhood posts

export const PostBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  body: Type.String({ minLength: 1, maxLength: 10000 }),
  language: LanguageSchema,
  photoId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
}, { additionalProperties: false })
export type PostBody = Static<typeof PostBody>

export const PostPatchBody = Type.Partial(PostBody, { additionalProperties: false })
export type PostPatchBody = Static<typeof PostPatchBody>

export const NeighbourhoodPost = Type.Object({
  id: Type.Integer(),
  zoneId: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  language: Type.String(),
  photoUrl: Type.Union([Type.String(), Type.Null()]),
  photoThumbUrl: Type.Union([Type.String(), Type.Null()]),
  /** The officer's public first name, only when they chose to be shown. */
  author: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  /** Staff views only: withdrawn posts stay visible to staff. */
  withdrawnAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
})
export type NeighbourhoodPost = Static<typeof NeighbourhoodPost>

export const PostList = Type.Object({ items: Type.Array(NeighbourhoodPost), nextBefore: Type.Union([Type.Integer(), Type.Null()]) })
export type PostList = Static<typeof PostList>

export const ZonePostParams = Type.Object({ id: Id() })
export const ZonePostItemParams = Type.Object({ id: Id(), postId: Id() })
export const PostListQuery = Type.Object({
  before: Type.Optional(Id({ description: 'Page: posts with an id below this' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
})
export type PostListQuery = Static<typeof PostListQuery>
