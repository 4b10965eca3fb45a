import type { SQL } from 'drizzle-orm'
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core'
import type { Db } from '../../db/connect.js'

/** Rows of a raw query: both drivers (node-postgres, PGlite) answer `execute` with `{ rows }`. */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query)
  return (result as unknown as { rows: T[] }).rows
}

/** Month and day arithmetic in the zone's calendar: figures are per Brussels month, not per UTC month. */
export const timezone = 'Europe/Brussels'

export function brusselsMonth(at: Date): string {
  return at.toLocaleDateString('en-CA', { timeZone: timezone }).slice(0, 7)
}

/** 'YYYY-MM' plus `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const index = y * 12 + (m - 1) + delta
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`
}

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m)
  return out
}

/**
 * Rows of a raw query run as a named prepared statement on PostgreSQL: each connection parses and plans it once,
 * then only binds and executes (the hot paths' statements are large; planning them cost more than running them).
 * `name` must stand for one SQL text: put every variant of the text (e.g. a number of VALUES rows) in it.
 * PGlite runs it as an ordinary query.
 */
export async function preparedRowsOf<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const internal = db as unknown as { dialect: PgDialect; _: { session: PgSession } }
  const prepared = internal._.session.prepareQuery(internal.dialect.sqlToQuery(query), undefined, name, false)
  return ((await prepared.execute()) as { rows: T[] }).rows
}
