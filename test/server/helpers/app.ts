import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../../server/src/app.js'
import { testConfig, type Config } from '../../../server/src/config.js'
import type { Db } from '../../../server/src/db/connect.js'
import { freshDatabase, type TestDatabase } from './database.js'

export interface TestApp {
  app: FastifyInstance
  db: Db
  database: TestDatabase
  config: Config
  close(): Promise<void>
}

/** A real app on a fresh migrated database (PGlite or PostgreSQL per project), with its own photo dir. */
export async function startApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await freshDatabase()
  const dir = mkdtempSync(join(tmpdir(), 'nabij-test-'))
  const config = testConfig({ dataDir: dir, photoDir: join(dir, 'photos'), databaseUrl: database.url, ...overrides })
  const app = await buildApp(config, database)
  await app.ready()
  return {
    app,
    db: database.db,
    database,
    config,
    async close() {
      await app.close()
      await database.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
