import { fillPlaceholders, type SQL } from 'drizzle-orm'
import { PGlite, protocol } from '@electric-sql/pglite'
import type { PgDialect, PgSession } from 'drizzle-orm/pg-core'
import type { Db } from './connect.js'

/** Rows of a raw query: both drivers (node-postgres, PGlite) answer `execute` with `{ rows }`. */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query)
  return (result as unknown as { rows: T[] }).rows
}

/**
 * A raw query run as a named prepared statement: each connection parses and plans it once, then only binds and
 * executes (the hot paths' statements are large; planning them cost more than running them). Its text is built once:
 * `build` writes it with `sql.placeholder(key)` for every value, and each call only fills the placeholders from
 * `values` (building the intake's insert with drizzle on every call cost a tenth of the app's thread). `name` must
 * stand for one SQL text: make one statement per variant of the text (e.g. a number of VALUES rows). Cast every
 * parameter in the SQL (`${x}::int`); read numbers with `Number()` (on PGlite every column comes back as text).
 * Embedded PGlite outside a transaction runs it over its wire protocol, under the same locks as its own query().
 */
export function preparedStatement<T>(name: string, build: () => SQL): (db: Db, values: Record<string, unknown>) => Promise<T[]> {
  const built = new WeakMap<Db, { text: string; params: unknown[]; prepared?: { execute(values: Record<string, unknown>): Promise<unknown> }; pglite?: PGlite }>()
  return async (db, values) => {
    let statement = built.get(db)
    if (!statement) {
      const internal = db as unknown as { dialect: PgDialect; _: { session: PgSession & { client?: unknown } } }
      const query = internal.dialect.sqlToQuery(build())
      const client = internal._.session.client
      statement = client instanceof PGlite
        ? { text: query.sql, params: query.params, pglite: client }
        : { text: query.sql, params: query.params, prepared: internal._.session.prepareQuery(query, undefined, name, false) }
      built.set(db, statement)
    }
    if (statement.pglite) return pglitePrepared<T>(statement.pglite, name, statement.text, fillPlaceholders(statement.params, values))
    return ((await statement.prepared!.execute(values)) as { rows: T[] }).rows
  }
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
