import type { SQL } from 'drizzle-orm'
import { PGlite, protocol } from '@electric-sql/pglite'
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
 * Rows of a raw query run as a named prepared statement: each connection parses and plans it once, then only binds
 * and executes (the hot paths' statements are large; planning them cost more than running them). `name` must stand
 * for one SQL text: put every variant of the text (e.g. a number of VALUES rows) in it. Cast every parameter in the
 * SQL (`${x}::int`); read numbers with `Number()` (on PGlite every column comes back as text).
 */
export async function preparedRowsOf<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const internal = db as unknown as { dialect: PgDialect; _: { session: PgSession & { client?: unknown } } }
  const built = internal.dialect.sqlToQuery(query)
  const client = internal._.session.client
  // Embedded PGlite outside a transaction: its wire protocol, under the same locks as its own query().
  if (client instanceof PGlite) return pglitePrepared<T>(client, name, built.sql, built.params)
  const prepared = internal._.session.prepareQuery(built, undefined, name, false)
  return ((await prepared.execute()) as { rows: T[] }).rows
}

const pglitePreparedNames = new WeakMap<PGlite, Set<string>>()

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0)
  return out
}

async function pglitePrepared<T>(client: PGlite, name: string, text: string, params: unknown[]): Promise<T[]> {
  const names = pglitePreparedNames.get(client) ?? new Set<string>()
  pglitePreparedNames.set(client, names)
  const { serialize } = protocol
  const parts = [
    ...(names.has(name) ? [] : [serialize.parse({ name, text, types: [] })]),
    serialize.bind({ statement: name, values: params.map(asText) }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  ]
  const message = concat(parts)
  const exclusive = client as unknown as { _runExclusiveTransaction<R>(fn: () => Promise<R>): Promise<R>; _runExclusiveQuery<R>(fn: () => Promise<R>): Promise<R> }
  const run = (bytes: Uint8Array) => exclusive._runExclusiveTransaction(() => exclusive._runExclusiveQuery(() => client.execProtocol(bytes)))
  let messages: unknown[]
  try {
    ({ messages } = await run(message))
  } catch (err) {
    // The statement may have been parsed before its execution failed (a unique violation): forget it either way, so
    // the next call parses it again under the same name.
    if (!names.has(name)) await run(concat([serialize.close({ type: 'S', name }), serialize.sync()])).catch(() => {})
    throw err
  }
  names.add(name)
  let columns: string[] = []
  const rows: T[] = []
  for (const m of messages as { name: string; fields?: unknown[] }[]) {
    if (m.name === 'rowDescription') columns = (m.fields as { name: string }[]).map((f) => f.name)
    else if (m.name === 'dataRow') rows.push(Object.fromEntries(columns.map((c, i) => [c, m.fields![i] ?? null])) as T)
  }
  return rows
}
