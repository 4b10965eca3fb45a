import type { Config } from '../config.js'
import type { Db } from '../db/connect.js'

export interface DemoLogin { role: string; email: string; password: string; zone?: string }

/** Seeds the demo into an empty database; returns the generated logins, or null when data was already there. */
export async function seedDemo(_db: Db, _config: Config): Promise<{ logins: DemoLogin[] } | null> {
  return null
}
