import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Fastify, { type FastifyInstance } from 'fastify'
import pg from 'pg'
import { buildApp } from '../server/src/app.js'
import { testConfig } from '../server/src/config.js'
import { connect, type Database } from '../server/src/db/connect.js'
import { migrate } from '../server/src/db/migrate.js'
import { seedDemo } from '../server/src/demo/seed.js'

export type Engine = 'pglite' | 'postgres'

/** One line of the results table: a figure beside its baseline measured in the same run. */
export interface BenchRow {
  scenario: string
  engine: Engine | '-'
  metric: string
  value: number
  unit: string
  baseline?: string
  baselineValue?: number
  /** value / baselineValue */
  ratio?: number
  goal?: string
  met?: boolean
}

export interface BenchContext {
  engines: Engine[]
  postgresUrl: string | undefined
  /** Short runs for smoke-testing the harness (BENCH_QUICK=1). */
  quick: boolean
}

export interface RunningApp {
  url: string
  app: FastifyInstance
  database: Database
  close(): Promise<void>
}

/** Starts the real app on a fresh database of the given engine, listening on a loopback port. */
export async function startBenchApp(ctx: BenchContext, engine: Engine, options: { demo?: boolean } = {}): Promise<RunningApp> {
  let database: Database
  let dropName: string | undefined
  if (engine === 'postgres') {
    dropName = `nabij_bench_${process.pid}_${Date.now()}`
    const admin = new pg.Client({ connectionString: ctx.postgresUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${dropName}`)
    await admin.end()
    const u = new URL(ctx.postgresUrl!)
    u.pathname = `/${dropName}`
    database = await connect({ databaseUrl: u.toString(), poolSize: 20 })
  } else {
    database = await connect({})
  }
  await migrate(database)
  const dir = mkdtempSync(join(tmpdir(), 'nabij-bench-'))
  const config = testConfig({ dataDir: dir, photoDir: join(dir, 'photos'), logLevel: 'silent' })
  // The demo's neighbourhoods, officers and reports: routing and flagging work as they do in a real zone.
  if (options.demo) await seedDemo(database.db, config)
  const app = await buildApp(config, database)
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url: address,
    app,
    database,
    async close() {
      await app.close()
      await database.close()
      if (dropName) {
        const admin = new pg.Client({ connectionString: ctx.postgresUrl })
        await admin.connect()
        await admin.query(`DROP DATABASE IF EXISTS ${dropName} WITH (FORCE)`)
        await admin.end()
      }
    },
  }
}

/** A bare Fastify hello-world: the baseline for HTTP figures. */
export async function startBareFastify(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false })
  app.get('/', async () => ({ status: 'ok' }))
  app.post('/', async (req, reply) => reply.code(201).send({ ok: true, size: JSON.stringify(req.body).length }))
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { url, close: () => app.close() }
}

export interface LoadResult { rps: number; p50: number; p99: number; errors: number; non2xx: number }

export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 64, duration: 5, ...options })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

export function ratio(value: number, baseline: number): number {
  return baseline === 0 ? 0 : Math.round((value / baseline) * 1000) / 1000
}
