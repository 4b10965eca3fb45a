import { sql } from 'drizzle-orm'
import { fileURLToPath } from 'node:url'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { NodePgDatabase } from 'drizzle-orm/node-postgres'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { Database } from './connect.js'

export const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url))

/** Applies the drizzle-kit migrations in `migrations/`; the same files serve PostgreSQL and PGlite. */
export async function migrate(database: Database): Promise<void> {
  // Extensions first (trigram similarity for near-duplicates); PGlite loads pg_trgm in connect.ts.
  await database.db.execute(sql`create extension if not exists pg_trgm`)
  if (database.kind === 'postgres') await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder })
  else await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder })
}
