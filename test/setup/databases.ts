import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { connect, pgliteClientOf } from '../../server/src/db/connect.js'
import { migrate } from '../../server/src/db/migrate.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    postgresTemplate: string
  }
}

/**
 * Migrates ONE template per engine for the whole run; each test file then gets a cheap fresh copy:
 * PGlite from a dumped data dir, PostgreSQL by CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const engine = project.config.env?.NABIJ_TEST_DB
  if (engine === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!
    const name = `nabij_tpl_${process.pid}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`DROP DATABASE IF EXISTS ${name}`)
    await admin.query(`CREATE DATABASE ${name}`)
    const database = await connect({ databaseUrl: withDatabase(url, name), poolSize: 2 })
    await migrate(database)
    await database.close()
    project.provide('postgresTemplate', name)
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
      await admin.end()
    }
  }
  const database = await connect({})
  await migrate(database)
  const dump = await pgliteClientOf(database).dumpDataDir('none')
  await database.close()
  mkdirSync(resolve('.tmp'), { recursive: true })
  const file = resolve(`.tmp/pglite-template-${process.pid}.tar`)
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  project.provide('pgliteTemplate', file)
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}
