import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp, webDist } from '../../../server/src/app.js'
import { testConfig, type Config } from '../../../server/src/config.js'
import { connect, type Database, type Db } from '../../../server/src/db/connect.js'
import { migrate } from '../../../server/src/db/migrate.js'
import { zones } from '../../../server/src/db/schema.js'

export interface E2eServer {
  /** http://127.0.0.1:<port>, no trailing slash */
  url: string
  app: FastifyInstance
  database: Database
  db: Db
  config: Config
  close(): Promise<void>
}

/**
 * The strict policy the pages must work under: nothing inline, nothing from another origin. Applied to a page only
 * when the server did not send a policy of its own, so once it does, its own policy is the one tested.
 */
export const strictCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * The real server on a fresh in-memory PGlite, listening on a free loopback port and serving the built web app
 * (web/dist, built by `npm test` before the suite runs).
 */
export async function startServer(overrides: Partial<Config> = {}): Promise<E2eServer> {
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(`no built web app in ${webDist}: run \`npm run build -w web\` first (npm test does)`)
  }
  const database = await connect({})
  await migrate(database)
  const dir = mkdtempSync(join(tmpdir(), 'nabij-e2e-'))
  const config = testConfig({ dataDir: dir, photoDir: join(dir, 'photos'), ...overrides })
  const app = await buildApp(config, database)
  app.addHook('onSend', async (_req, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '')
    if (type.startsWith('text/html') && !reply.hasHeader('content-security-policy')) reply.header('content-security-policy', strictCsp)
    return payload
  })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url: address.replace(/\/$/, ''),
    app,
    database,
    db: database.db,
    config,
    async close() {
      await app.close()
      await database.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

interface Feature {
  id: string
  properties: { id: string; name: string; name_fr?: string; name_nl?: string; police_zone?: string }
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }
}

const quartiersFile = new URL('../../../../shared/fixtures/geo/brussels-quartiers.geojson', import.meta.url)

/** Brussels neighbourhoods from the UrbIS fixture, by name (e.g. "Flagey - Malibran"); inserted as zones. */
export async function seedQuartiers(db: Db, names: string[]): Promise<{ id: number; name: string; externalId: string }[]> {
  const collection = JSON.parse(readFileSync(quartiersFile, 'utf8')) as { features: Feature[] }
  const wanted = collection.features.filter((f) => names.some((n) => f.properties.name.toLowerCase().includes(n.toLowerCase())))
  if (wanted.length === 0) throw new Error(`no quartier matches ${names.join(', ')}`)
  return db.insert(zones).values(wanted.map((f) => ({
    externalId: `bxl-q-${f.properties.id}`,
    name: f.properties.name,
    names: { fr: f.properties.name_fr ?? f.properties.name, nl: f.properties.name_nl ?? f.properties.name },
    geometry: f.geometry,
  }))).returning({ id: zones.id, name: zones.name, externalId: zones.externalId })
}
