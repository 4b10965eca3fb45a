import { Type, type Static } from 'typebox'
import { categoryKeys } from '../domain/categories.js'
import { languageCodes } from '../domain/languages.js'
import { closeReasons, statuses } from '../domain/statuses.js'
import { LocationPoint, descriptionMaxLength } from './reports.js'

export const ReceiptSessionBody = Type.Object({
  code: Type.String({ minLength: 16, maxLength: 40, description: 'The 16-digit receipt code; spaces and dashes are ignored', examples: ['4821 0937 5512 0046'] }),
}, { additionalProperties: false })
export type ReceiptSessionBody = Static<typeof ReceiptSessionBody>

export const ReceiptSessionReply = Type.Object({
  token: Type.String({ description: 'Send as `Authorization: Bearer <token>` to the follow-up API; never a cookie' }),
  expiresAt: Type.String({ format: 'date-time' }),
  reference: Type.String(),
})
export type ReceiptSessionReply = Static<typeof ReceiptSessionReply>

export const PhotoRef = Type.Object({
  id: Type.String({ format: 'uuid' }),
  width: Type.Integer(),
  height: Type.Integer(),
  url: Type.String({ description: 'The 2048 px WebP; fetch it with the same bearer token' }),
  thumbUrl: Type.String({ description: 'The 400 px WebP' }),
})
export type PhotoRef = Static<typeof PhotoRef>

/**
 * One entry of a report's timeline as its reporter sees it. `text` is in the reader's language when a canned text or
 * a translation exists (then `original` holds the words as written); otherwise it is the original with its language.
 */
export const TimelineItem = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time', description: 'Rounded down to the hour' }),
  author: Type.Enum(['staff', 'reporter', 'system']),
  kind: Type.Enum(['message', 'question', 'canned', 'status', 'system']),
  visibility: Type.Enum(['public', 'reporter']),
  cannedKey: Type.Optional(Type.String()),
  text: Type.Union([Type.String(), Type.Null()]),
  language: Type.Union([Type.String(), Type.Null()]),
  original: Type.Optional(Type.Object({ text: Type.String(), language: Type.Union([Type.String(), Type.Null()]) })),
  photos: Type.Array(PhotoRef),
  photosErased: Type.Optional(Type.Boolean({ description: "true: the reporter's message was photos only, and the retention job deleted them" })),
})
export type TimelineItem = Static<typeof TimelineItem>

/** A part of the reporter's own content that is gone: pages say so in words instead of showing blanks. */
export const Erasure = Type.Object({
  part: Type.Enum(['content', 'contact', 'photos'], { description: 'content: description, address, photos and replies; contact: name, e-mail, phone; photos: some photos' }),
  reason: Type.Enum(['request', 'retention'], { description: "request: the reporter's own DELETE /api/followup; retention: the retention period ran out" }),
  at: Type.String({ format: 'date-time', description: 'Rounded down to the hour' }),
})
export type Erasure = Static<typeof Erasure>

export const FollowUpView = Type.Object({
  reference: Type.String(),
  category: Type.Enum([...categoryKeys]),
  categoryLabel: Type.String(),
  status: Type.Enum([...statuses]),
  statusLabel: Type.String(),
  closeReason: Type.Union([Type.Enum([...closeReasons]), Type.Null()]),
  filedAt: Type.String({ format: 'date-time', description: 'Rounded down to the hour' }),
  anonymous: Type.Boolean(),
  description: Type.String(),
  language: Type.String(),
  location: Type.Union([LocationPoint, Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  photos: Type.Array(PhotoRef),
  timeline: Type.Array(TimelineItem),
  reopenUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'A closed report: until when its reporter may reopen it (POST /api/followup/reopen), rounded down to the hour; otherwise null',
  }),
  erased: Type.Array(Erasure, { description: 'What of the report was erased, why and when; the description then reads as a neutral marker' }),
})
export type FollowUpView = Static<typeof FollowUpView>

/** The reporter's reply: JSON, or multipart/form-data with this object as JSON in `reply` plus files in `photos`. */
export const ReplyBody = Type.Object({
  text: Type.Optional(Type.String({ minLength: 1, maxLength: descriptionMaxLength })),
  language: Type.Optional(Type.Enum([...languageCodes])),
}, { additionalProperties: false })
export type ReplyBody = Static<typeof ReplyBody>
