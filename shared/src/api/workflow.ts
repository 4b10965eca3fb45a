import { Type, type Static } from 'typebox'
import { closeReasons, statuses } from '../domain/statuses.js'
import { CannedKeySchema, LanguageSchema, Translations } from './updates.js'
import { Id } from './ids.js'

export const StatusSchema = Type.Enum([...statuses])
export const CloseReasonSchema = Type.Enum([...closeReasons], {
  description: 'Shown to residents as such: no_action_possible is never shown as solved',
})

export const ReportRefParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 64, description: 'Reference, e.g. NB-2026-000123' }) })
export type ReportRefParams = Static<typeof ReportRefParams>

/** The public answer that closing requires: canned or free text, visible to the reporter and on the public page. */
export const AnswerBody = Type.Union([
  Type.Object({ cannedKey: CannedKeySchema }, { additionalProperties: false }),
  Type.Object({ text: Type.String({ minLength: 1, maxLength: 5000 }), language: LanguageSchema, translations: Type.Optional(Translations) }, { additionalProperties: false }),
])
export type AnswerBody = Static<typeof AnswerBody>

export const StatusChangeBody = Type.Object({
  status: StatusSchema,
  closeReason: Type.Optional(CloseReasonSchema),
  answer: Type.Optional(AnswerBody),
}, { additionalProperties: false })
export type StatusChangeBody = Static<typeof StatusChangeBody>

export const AssignBody = Type.Object({
  staffId: Type.Union([Id(), Type.Null()], { description: 'An officer of the report\'s zone, or null to unassign' }),
}, { additionalProperties: false })
export type AssignBody = Static<typeof AssignBody>

export const DueBody = Type.Object({
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
}, { additionalProperties: false })
export type DueBody = Static<typeof DueBody>

/** The workflow side of a report after a change, for the officer's screen. */
export const WorkflowState = Type.Object({
  reference: Type.String(),
  status: StatusSchema,
  closeReason: Type.Union([CloseReasonSchema, Type.Null()]),
  assignedStaffId: Type.Union([Type.Integer(), Type.Null()]),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  promisedResponseHours: Type.Integer(),
  acknowledgedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  firstPublicAnswerAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  overdue: Type.Enum(['on_time', 'overdue', 'badly_overdue']),
})
export type WorkflowState = Static<typeof WorkflowState>

/** Officers of the report's zone who can take it over. */
export const TeamReply = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), displayName: Type.String(), primary: Type.Boolean() })),
})
export type TeamReply = Static<typeof TeamReply>

// ---------------------------------------------------------------- reopening by the reporter

export const ReopenBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  language: Type.Optional(LanguageSchema),
}, { additionalProperties: false })
export type ReopenBody = Static<typeof ReopenBody>

export const ReopenReply = Type.Object({
  reference: Type.String(),
  status: StatusSchema,
})
export type ReopenReply = Static<typeof ReopenReply>
