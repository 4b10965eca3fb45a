import { ConfigError, loadConfig } from './config.js'
import { connect } from './db/connect.js'
import { migrate } from './db/migrate.js'
import { buildApp } from './app.js'
import { seedDemo } from './demo/seed.js'
import { photoStorage } from './modules/photos/storage-factory.js'
import { sweepOrphanPhotos } from './modules/photos/sweep.js'

let config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Nabij cannot start: ${err.message}`)
    process.exit(1)
  }
  throw err
}

const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
await migrate(database)
const app = await buildApp(config, database)

if (config.demo) {
  const demo = await seedDemo(database.db, config)
  if (demo) app.log.info('demo data seeded')
  if (demo) printDemo(demo.logins)
}

await app.listen({ port: config.port, host: config.host })
// In the background: listing a large bucket must not delay serving.
sweepOrphanPhotos(database.db, photoStorage(config), { graceMs: (config.photoOrphanGraceSeconds ?? 3600) * 1000 })
  .then((swept) => app.log.info(swept, 'photo sweep finished'), (err: unknown) => app.log.warn({ err }, 'photo sweep failed'))
console.log(`\nNabij is running on ${config.publicUrl} (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'})\n`)

function printDemo(logins: { role: string; email: string; password: string; zone?: string }[]) {
  console.log('\nDemo logins (staff login at /staff):')
  for (const l of logins) console.log(`  ${l.role.padEnd(10)} ${l.email.padEnd(34)} ${l.password}${l.zone ? `  (${l.zone})` : ''}`)
}

// Graceful shutdown: stop accepting, let in-flight requests finish, then close the database.
let closing = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    try {
      await app.close()
      await database.close()
      process.exit(0)
    } catch (err) {
      app.log.error({ err }, 'shutdown failed')
      process.exit(1)
    }
  })
}
