import { sql } from 'drizzle-orm'
import type { DiagnosisCell, DiagnosisPeriod, DiagnosisQuery, DiagnosisReply } from '@nabij/shared/api/stats'
import type { Category } from '@nabij/shared/domain/categories'
import type { Db } from '../../db/connect.js'
import { RangeInvalid } from '../../errors.js'
import { countFigure, suppressBreakdown } from './suppression.js'
import { rowsOf } from '../../db/raw.js'
import { timezone } from './sql.js'
import { assertZone } from './service.js'

export const defaultCellMeters = 250
const metresPerDegreeLat = 111_320
/**
 * One grid for the whole country, so a cell keeps its id across zones and years and a hot spot can be followed over
 * time. Longitude degrees are scaled at Belgium's mid-latitude: cells are ~250 m square from Arlon to Groningen.
 */
const referenceLatitude = 50.5
const metresPerDegreeLon = metresPerDegreeLat * Math.cos((referenceLatitude * Math.PI) / 180)
const maxDays = 5 * 366

/**
 * The centre of the grid cell holding a point: how a place is shown when it stands for many reports. The cells at the
 * poles and the antimeridian reach past them, so the centre is kept a coordinate (lat 90 stays 90, not 90.001).
 */
export function cellCentre(lat: number, lon: number, cellMeters = defaultCellMeters): { lat: number; lon: number } {
  const dLat = cellMeters / metresPerDegreeLat
  const dLon = cellMeters / metresPerDegreeLon
  const clamp = (value: number, limit: number) => Math.min(limit, Math.max(-limit, value))
  return { lat: round(clamp((Math.floor(lat / dLat) + 0.5) * dLat, 90)), lon: round(clamp((Math.floor(lon / dLon) + 0.5) * dLon, 180)) }
}

/** Cell size in degrees, for SQL that groups on the same grid. */
export function cellDegrees(cellMeters = defaultCellMeters): { dLat: number; dLon: number } {
  return { dLat: cellMeters / metresPerDegreeLat, dLon: cellMeters / metresPerDegreeLon }
}

export interface DiagnosisOptions {
  /** 0 for staff: exact counts. */
  threshold: number
  cellMeters?: number
  now?: Date
}

/**
 * Reports by grid cell, category and period in a zone, to find hot spots and follow them. Police-conduct complaints
 * are left out: they are about the police, not about a place, and belong to the oversight body.
 */
export async function diagnosis(db: Db, zoneId: number, query: DiagnosisQuery, options: DiagnosisOptions): Promise<DiagnosisReply> {
  await assertZone(db, zoneId)
  const now = options.now ?? new Date()
  const period: DiagnosisPeriod = query.period ?? 'month'
  const cellMeters = options.cellMeters ?? defaultCellMeters
  const to = query.to ?? now.toLocaleDateString('en-CA', { timeZone: timezone })
  const from = query.from ?? new Date(Date.parse(to) - 364 * 86_400_000).toISOString().slice(0, 10)
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000
  if (!(days >= 0) || days > maxDays) throw new RangeInvalid()

  const { dLat, dLon } = cellDegrees(cellMeters)
  const categories = query.category && query.category.length > 0 ? query.category : null
  const rows = await rowsOf<{ period: string; x: number; y: number; category: Category; n: number }>(db, sql`
    select to_char(date_trunc(${period}, created_at at time zone ${timezone}), 'YYYY-MM-DD') as period,
      floor(lon / ${dLon})::int as x, floor(lat / ${dLat})::int as y, category, count(*)::int as n
    from reports
    where zone_id = ${zoneId} and moderation_state <> 'rejected_spam' and category <> 'police_conduct'
      and lat is not null and lon is not null
      and created_at >= (${from}::date::timestamp at time zone ${timezone})
      and created_at < ((${to}::date + 1)::timestamp at time zone ${timezone})
      ${categories ? sql`and category in (${sql.join(categories.map((c) => sql`${c}`), sql`, `)})` : sql``}
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4`)

  const groups = new Map<string, typeof rows>()
  for (const row of rows) {
    const key = `${row.period}|${row.x}:${row.y}`
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  const cells: DiagnosisCell[] = [...groups.values()].map((group) => {
    const { period: start, x, y } = group[0]!
    const total = countFigure(group.reduce((sum, r) => sum + r.n, 0), options.threshold)
    const figures = suppressBreakdown(group.map((r) => ({ key: r.category, n: r.n })), !total.suppressed, options.threshold)
    return {
      cell: `${x}:${y}`,
      bounds: [round(y * dLat), round(x * dLon), round((y + 1) * dLat), round((x + 1) * dLon)],
      period: start,
      total,
      byCategory: group.map((r) => ({ category: r.category, count: figures.get(r.category)! })),
    }
  })
  return { zoneId, from, to, period, cellMeters, smallCountThreshold: options.threshold, periods: periodStarts(from, to, period), cells }
}

function periodStarts(from: string, to: string, period: DiagnosisPeriod): string[] {
  const step = { month: 1, quarter: 3, year: 12 }[period]
  const [fy, fm] = from.split('-').map(Number) as [number, number]
  let index = fy * 12 + (fm - 1)
  index -= index % step
  const out: string[] = []
  const last = to.slice(0, 7)
  for (;;) {
    const start = `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`
    if (start > last) return out
    out.push(`${start}-01`)
    index += step
  }
}

function round(value: number): number {
  return Math.round(value * 1e7) / 1e7
}
