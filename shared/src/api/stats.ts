import { Type, type Static } from 'typebox'
import { categoryKeys } from '../domain/categories.js'
import { closeReasons } from '../domain/statuses.js'
import { Id } from './ids.js'

/** A union of string literals whose static type stays the union (mapping over a non-tuple array would lose it). */
export const literals = <T extends string>(values: readonly T[]) => Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))))

/** Counts of 1 to 4 reports are never published: they could single out a reporter. */
export const smallCountThreshold = 5

/**
 * One published figure. `suppressed: true` means "fewer than 5" (show it as "< 5"), and then `value` is null.
 * `value: null` with `suppressed: false` means there is nothing to measure (no report yet).
 */
export const Figure = Type.Object({
  value: Type.Union([Type.Number(), Type.Null()]),
  suppressed: Type.Boolean({ description: 'True when the figure rests on 1–4 reports; shown as "< 5"' }),
})
export type Figure = Static<typeof Figure>

const Duration = Type.Object({
  median: Figure,
  p90: Figure,
}, { description: 'Hours, from filing; over the reports that reached this step' })

export const MonthStats = Type.Object({
  month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'Calendar month in Europe/Brussels' }),
  received: Figure,
  byCategory: Type.Array(Type.Object({ category: literals(categoryKeys), count: Figure })),
  hoursToAcknowledgement: Duration,
  hoursToFirstPublicAnswer: Duration,
  answeredWithinPromise: Type.Object({
    share: Figure,
  }, { description: 'Share (0–1) answered within the promised hours, over reports answered or past their promise' }),
  closeReasons: Type.Array(Type.Object({ reason: literals(closeReasons), share: Figure }), {
    description: 'Share (0–1) of the month\'s reports closed with each reason; the rest is still open',
  }),
  visibleAnswer: Type.Object({
    share: Figure,
  }, { description: 'Share (0–1) of the month\'s reports with an answer the reporter and public can see; target 1' }),
})
export type MonthStats = Static<typeof MonthStats>

export const ZoneIdParams = Type.Object({ id: Id() })
export type ZoneIdParams = Static<typeof ZoneIdParams>

const monthPattern = '^[0-9]{4}-(0[1-9]|1[0-2])$'

export const ZoneStatsQuery = Type.Object({
  from: Type.Optional(Type.String({ pattern: monthPattern, description: 'First month (YYYY-MM); default 11 months before `to`' })),
  to: Type.Optional(Type.String({ pattern: monthPattern, description: 'Last month (YYYY-MM); default the current month' })),
})
export type ZoneStatsQuery = Static<typeof ZoneStatsQuery>

export const ZoneStatsReply = Type.Object({
  zoneId: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  timezone: Type.Literal('Europe/Brussels'),
  smallCountThreshold: Type.Integer({ description: 'Figures resting on fewer reports than this are suppressed' }),
  months: Type.Array(MonthStats),
})
export type ZoneStatsReply = Static<typeof ZoneStatsReply>

// ---------------------------------------------------------------- safety diagnosis

export const diagnosisPeriods = ['month', 'quarter', 'year'] as const
export type DiagnosisPeriod = (typeof diagnosisPeriods)[number]

const diagnosisQueryProperties = {
  from: Type.Optional(Type.String({ format: 'date', description: 'First day (inclusive); default a year before `to`' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last day (inclusive); default today' })),
  period: Type.Optional(literals(diagnosisPeriods)),
  category: Type.Optional(Type.Array(literals(categoryKeys), { description: 'Only these categories (repeat the parameter)' })),
}
export const DiagnosisQuery = Type.Object(diagnosisQueryProperties)
export type DiagnosisQuery = Static<typeof DiagnosisQuery>

export const StaffDiagnosisQuery = Type.Object({
  ...diagnosisQueryProperties,
  zoneId: Id(),
  cellMeters: Type.Optional(Type.Integer({ minimum: 100, maximum: 2000, description: 'Cell size; default 250' })),
})
export type StaffDiagnosisQuery = Static<typeof StaffDiagnosisQuery>

export const DiagnosisCell = Type.Object({
  cell: Type.String({ description: 'Stable cell id "x:y" on the grid of this cell size', examples: ['1234:22456'] }),
  /** [south, west, north, east] in WGS84 degrees. */
  bounds: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()]),
  period: Type.String({ description: 'Period start, YYYY-MM-DD (Europe/Brussels)' }),
  total: Figure,
  byCategory: Type.Array(Type.Object({ category: literals(categoryKeys), count: Figure }), {
    description: 'Only categories with at least one report in the cell and period',
  }),
})
export type DiagnosisCell = Static<typeof DiagnosisCell>

export const DiagnosisReply = Type.Object({
  zoneId: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  period: literals(diagnosisPeriods),
  cellMeters: Type.Integer(),
  smallCountThreshold: Type.Integer({ description: '0 for staff (exact counts); 5 on the public side' }),
  periods: Type.Array(Type.String(), { description: 'Every period start in the range, oldest first' }),
  cells: Type.Array(DiagnosisCell, { description: 'Cells with at least one report, by period then cell' }),
})
export type DiagnosisReply = Static<typeof DiagnosisReply>

// ---------------------------------------------------------------- CSV export (staff)

export const ReportsExportQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', description: 'Filed on or after this day (Europe/Brussels)' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Filed on or before this day (Europe/Brussels)' })),
}, { additionalProperties: false })
export type ReportsExportQuery = Static<typeof ReportsExportQuery>

/**
 * Columns of the anonymised export: no free text, no contact data, times rounded down to the hour, the location as
 * the public ~100 m cell centre.
 */
export const reportsExportColumns = [
  'reference', 'category', 'status', 'close_reason', 'queue', 'promised_response_hours',
  'filed_at', 'acknowledged_at', 'first_public_answer_at', 'closed_at', 'lat', 'lon',
] as const
