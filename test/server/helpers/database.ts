import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { inject } from 'vitest'
import { connect, type Database } from '../../../server/src/db/connect.js'
import { withDatabase } from '../../setup/databases.js'

export const engine: 'postgres' | 'pglite' = process.env.NABIJ_TEST_DB === 'postgres' ? 'postgres' : 'pglite'

export interface TestDatabase extends Database {
  /** PostgreSQL only: the URL of this file's database, for starting server processes on it. */
  url?: string
}

/** A fresh, migrated database for one test file, on the engine of the running project. */
export async function freshDatabase(): Promise<TestDatabase> {
  if (engine === 'postgres') {
    const base = process.env.TEST_DATABASE_URL!
    const name = `nabij_t_${randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: base })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`)
    await admin.end()
    const url = withDatabase(base, name)
    const database = await connect({ databaseUrl: url, poolSize: 8 })
    return {
      ...database,
      url,
      async close() {
        await database.close()
        const dropper = new pg.Client({ connectionString: base })
        await dropper.connect()
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await dropper.end()
      },
    }
  }
  const dump = readFileSync(inject('pgliteTemplate'))
  return connect({ loadDataDir: new Blob([dump]) })
}
