import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { connect } from '../../../server/src/db/connect.js'
import { migrate, migrationsFolder } from '../../../server/src/db/migrate.js'
import { withDatabase } from '../../setup/databases.js'
import { engine } from '../helpers/database.js'

const tables = ['reports', 'zones', 'staff_users', 'photos', 'events', 'audit_log', 'report_updates']

describe('migrations', () => {
  it(`apply cleanly to an empty ${engine} database and can run again`, async () => {
    let dropName: string | undefined
    const base = process.env.TEST_DATABASE_URL
    if (engine === 'postgres') {
      dropName = `nabij_mig_${randomBytes(5).toString('hex')}`
      const admin = new pg.Client({ connectionString: base })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${dropName}`)
      await admin.end()
    }
    const database = await connect(dropName ? { databaseUrl: withDatabase(base!, dropName), poolSize: 2 } : {})
    try {
      await migrate(database)
      await migrate(database) // idempotent: a restarted instance migrates again
      const result = await database.db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public'`)
      const names = (result as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name)
      for (const table of tables) expect(names).toContain(table)
    } finally {
      await database.close()
      if (dropName) {
        const admin = new pg.Client({ connectionString: base })
        await admin.connect()
        await admin.query(`DROP DATABASE IF EXISTS ${dropName} WITH (FORCE)`)
        await admin.end()
      }
    }
  })

  // drizzle-kit reads only schema.ts and migrations/, so one engine's run proves it.
  if (engine === 'pglite') it('match schema.ts: drizzle-kit generates nothing new', () => {
    mkdirSync(resolve('.tmp'), { recursive: true })
    // drizzle-kit wants `out` relative to the working directory.
    const dir = relative(process.cwd(), mkdtempSync(resolve('.tmp/drift-')))
    try {
      cpSync(migrationsFolder, join(dir, 'migrations'), { recursive: true })
      const config = resolve(dir, 'drizzle.config.mjs')
      writeFileSync(config, `export default ${JSON.stringify({ dialect: 'postgresql', schema: resolve('server/src/db/schema.ts'), out: join(dir, 'migrations'), casing: 'snake_case' })}\n`)
      const before = readdirSync(join(dir, 'migrations')).length
      const output = execFileSync('npx', ['drizzle-kit', 'generate', '--config', config, '--name', 'drift'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      expect(output).toMatch(/No schema changes/)
      expect(readdirSync(join(dir, 'migrations'))).toHaveLength(before)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
