import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import pg from 'pg'
import { withAfterCommit } from './after-commit.js'
import * as schema from './schema.js'

/** Both drivers and their transactions satisfy this; service functions take it first. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  db: Db
  kind: 'postgres' | 'pglite'
  /**
   * Runs `fn` for each NOTIFY on `channel`; the returned function stops listening. `onLost` is called once if the
   * listening connection drops (PostgreSQL restart, killed backend): the caller listens again and catches up.
   */
  listen(channel: string, fn: (payload: string) => void, onLost?: () => void): Promise<() => Promise<void>>
  ping(): Promise<boolean>
  close(): Promise<void>
}

export interface ConnectOptions {
  databaseUrl?: string | undefined
  dataDir?: string
  /** A PGlite data dir dump to start from (tests: one migrated template, many cheap copies). */
  loadDataDir?: Blob | File
  /** PostgreSQL: pool size per instance. */
  poolSize?: number
}

export async function connect(options: ConnectOptions): Promise<Database> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options.poolSize ?? 20)
  return connectPglite(options)
}

/**
 * A client losing its server (PostgreSQL restart, killed backend) emits 'error'. The pool listens only while the
 * client is idle; one checked out for a transaction has no listener between its queries, and an unheard 'error'
 * would end the process. Its queries fail on their own (the request answers 503) and the pool drops the client.
 */
function survivingRestarts(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  return pool
}

async function connectPostgres(url: string, max: number): Promise<Database> {
  const pool = survivingRestarts(new pg.Pool({ connectionString: url, max }))
  const db = withAfterCommit(drizzlePg(pool, { schema }) as unknown as Db)
  // One connection of its own for the event sequencer: its short rounds must not queue behind the requests' queries.
  const side = survivingRestarts(new pg.Pool({ connectionString: url, max: 1, application_name: 'nabij-sequencer' }))
  sideConnections.set(db, withAfterCommit(drizzlePg(side, { schema }) as unknown as Db))
  return {
    db,
    kind: 'postgres',
    async listen(channel, fn, onLost) {
      const client = new pg.Client({ connectionString: url, application_name: 'nabij-listen', keepAlive: true })
      let ended = false
      const lost = () => {
        if (ended) return
        ended = true
        onLost?.()
      }
      client.on('error', lost)
      client.on('end', lost)
      await client.connect()
      client.on('notification', (msg) => { if (msg.channel === channel) fn(msg.payload ?? '') })
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
      return async () => {
        ended = true
        await client.end().catch(() => {})
      }
    },
    async ping() {
      try {
        await pool.query('select 1')
        return true
      } catch {
        return false
      }
    },
    async close() {
      await Promise.all([pool.end(), side.end()])
    },
  }
}

async function connectPglite(options: ConnectOptions): Promise<Database> {
  let dataDir: string | undefined
  if (options.dataDir) {
    dataDir = join(options.dataDir, 'pg')
    // PGlite needs the parent of its data dir to exist.
    mkdirSync(dirname(dataDir), { recursive: true })
  }
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pg_trgm },
  })
  const db = withAfterCommit(drizzlePglite(client, { schema }) as unknown as Db)
  return {
    db,
    kind: 'pglite',
    async listen(channel, fn) {
      const unsubscribe = await client.listen(channel, fn)
      return async () => { await unsubscribe() }
    },
    async ping() {
      try {
        await client.query('select 1')
        return true
      } catch {
        return false
      }
    },
    close: () => client.close(),
  }
}

const sideConnections = new WeakMap<Db, Db>()

/**
 * A connection beside `db`'s pool for short, latency-critical work (PostgreSQL; PGlite has one connection, so `db`
 * itself).
 */
export function sideConnectionOf(db: Db): Db {
  return sideConnections.get(db) ?? db
}

/** Connection-class SQLSTATEs and socket errors: the database is gone for now (restart, failover), not the query wrong. */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300'])

/** Whether an error (or one it wraps, as drizzle does) says the database cannot be reached right now. */
export function databaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : ''
    if (unavailableCodes.has(code) || code.startsWith('08')) return true
    if (typeof e.message === 'string' && /^Connection terminated|connection error|timeout exceeded when trying to connect/i.test(e.message)) return true
  }
  return false
}

/** Exposes the raw PGlite client of a database (for dumping a migrated template in tests). */
export function pgliteClientOf(database: Database): PGlite {
  return (database.db as unknown as { $client: PGlite }).$client
}
