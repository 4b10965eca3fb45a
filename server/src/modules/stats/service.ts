import { eq, sql } from 'drizzle-orm'
import { smallCountThreshold, type MonthStats, type ZoneStatsQuery, type ZoneStatsReply } from '@nabij/shared/api/stats'
import { categoryKeys, type Category } from '@nabij/shared/domain/categories'
import { closeReasons, type CloseReason } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'
import { zones } from '../../db/schema.js'
import { RangeInvalid, ZoneNotFound } from '../../errors.js'
import { countFigure, measureFigure, shareFigure, suppressBreakdown } from './suppression.js'
import { rowsOf } from '../../db/raw.js'
import { addMonths, brusselsMonth, monthsBetween, timezone } from './sql.js'

export const maxStatsMonths = 36

/** Reports a figure counts: those of the zone, less spam (never a real report). */
const countedReports = (zoneId: number) => sql`zone_id = ${zoneId} and moderation_state <> 'rejected_spam'`

interface MonthRow {
  month: string
  received: number
  ack_n: number
  ack_median: number | null
  ack_p90: number | null
  answer_n: number
  answer_median: number | null
  answer_p90: number | null
  within_promise: number
  promise_due: number
}

export async function assertZone(db: Db, zoneId: number): Promise<void> {
  const [zone] = await db.select({ id: zones.id }).from(zones).where(eq(zones.id, zoneId))
  if (!zone) throw new ZoneNotFound(String(zoneId))
}

export function monthRange(query: ZoneStatsQuery, now: Date): { from: string; to: string } {
  const to = query.to ?? brusselsMonth(now)
  const from = query.from ?? addMonths(to, -11)
  if (from > to || monthsBetween(from, to).length > maxStatsMonths) throw new RangeInvalid()
  return { from, to }
}

/**
 * Response figures of a zone per Brussels month, computed in SQL; the raw counts never leave this function, only
 * their suppressed figures. Durations run from filing to the first acknowledgement and to the first public answer.
 * "Within promise" counts over the reports answered or already past their promised hours, so a fresh report still
 * inside its window is neither a success nor a failure yet.
 */
export async function zoneStats(db: Db, zoneId: number, query: ZoneStatsQuery, now = new Date(), threshold = smallCountThreshold): Promise<ZoneStatsReply> {
  await assertZone(db, zoneId)
  const { from, to } = monthRange(query, now)
  const start = sql`((${from} || '-01')::timestamp at time zone ${timezone})`
  const end = sql`((${addMonths(to, 1)} || '-01')::timestamp at time zone ${timezone})`
  const monthOf = sql`to_char(created_at at time zone ${timezone}, 'YYYY-MM')`
  const scope = sql`${countedReports(zoneId)} and created_at >= ${start} and created_at < ${end}`

  const [monthRows, categoryRows, reasonRows] = await Promise.all([
    rowsOf<MonthRow>(db, sql`
      with r as (
        select ${monthOf} as month, created_at, first_public_answer_at, promised_response_hours,
          extract(epoch from acknowledged_at - created_at) / 3600.0 as ack_h,
          extract(epoch from first_public_answer_at - created_at) / 3600.0 as answer_h
        from reports where ${scope}
      )
      select month, count(*)::int as received,
        count(ack_h)::int as ack_n,
        percentile_cont(0.5) within group (order by ack_h) as ack_median,
        percentile_cont(0.9) within group (order by ack_h) as ack_p90,
        count(answer_h)::int as answer_n,
        percentile_cont(0.5) within group (order by answer_h) as answer_median,
        percentile_cont(0.9) within group (order by answer_h) as answer_p90,
        count(*) filter (where answer_h <= promised_response_hours)::int as within_promise,
        count(*) filter (where answer_h is not null
          or created_at + make_interval(hours => promised_response_hours) <= ${now.toISOString()}::timestamptz)::int as promise_due
      from r group by month`),
    rowsOf<{ month: string; category: string; n: number }>(db, sql`
      select ${monthOf} as month, category, count(*)::int as n from reports where ${scope} group by 1, 2`),
    rowsOf<{ month: string; reason: string; n: number }>(db, sql`
      select ${monthOf} as month, close_reason as reason, count(*)::int as n from reports
      where ${scope} and status = 'closed' and close_reason is not null group by 1, 2`),
  ])

  const byMonth = new Map(monthRows.map((r) => [r.month, r]))
  const months: MonthStats[] = monthsBetween(from, to).map((month) => {
    const r = byMonth.get(month)
    const received = r?.received ?? 0
    const categoryCounts = categoryKeys.map((key) => ({ key, n: categoryRows.find((c) => c.month === month && c.category === key)?.n ?? 0 }))
    const receivedFigure = countFigure(received, threshold)
    const categories = suppressBreakdown<Category>(categoryCounts, !receivedFigure.suppressed, threshold)
    const reasonCount = (reason: CloseReason) => reasonRows.find((c) => c.month === month && c.reason === reason)?.n ?? 0
    return {
      month,
      received: receivedFigure,
      byCategory: categoryKeys.map((category) => ({ category, count: categories.get(category)! })),
      hoursToAcknowledgement: {
        median: measureFigure(num(r?.ack_median), r?.ack_n ?? 0, threshold),
        p90: measureFigure(num(r?.ack_p90), r?.ack_n ?? 0, threshold),
      },
      hoursToFirstPublicAnswer: {
        median: measureFigure(num(r?.answer_median), r?.answer_n ?? 0, threshold),
        p90: measureFigure(num(r?.answer_p90), r?.answer_n ?? 0, threshold),
      },
      answeredWithinPromise: { share: shareFigure(r?.within_promise ?? 0, r?.promise_due ?? 0, threshold) },
      closeReasons: closeReasons.map((reason) => ({ reason, share: shareFigure(reasonCount(reason), received, threshold) })),
      visibleAnswer: { share: shareFigure(r?.answer_n ?? 0, received, threshold) },
    }
  })
  return { zoneId, from, to, timezone, smallCountThreshold: threshold, months }
}

/** percentile_cont answers double precision; a driver may hand it over as a string. */
function num(value: number | string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value)
}
