/**
 * A server process for bench/scenarios/realtime.ts, so that the server's memory and event loop are its own:
 * - `app`: the real app (PGlite in memory, or DATABASE_URL), optionally seeding a zone and an officer;
 * - `bare`: a bare `ws` server that broadcasts the body of `POST /broadcast` to every socket (the baseline).
 * Prints one JSON line when it listens; stops on SIGTERM.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'

const mode = process.argv[2]

if (mode === 'bare') {
  const server = createServer()
  const wss = new WebSocketServer({ server, perMessageDeflate: false })
  server.on('request', (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const payload = Buffer.concat(chunks)
      for (const client of wss.clients) client.send(payload, { binary: false })
      res.statusCode = 204
      res.end()
    })
  })
  server.listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))
  })
  process.on('SIGTERM', () => process.exit(0))
} else {
  // Loaded here only: the bare baseline's memory must not include the app's modules.
  const { buildApp } = await import('../server/src/app.js')
  const { testConfig } = await import('../server/src/config.js')
  const { connect } = await import('../server/src/db/connect.js')
  const { migrate } = await import('../server/src/db/migrate.js')
  const { zoneOfficers, zones } = await import('../server/src/db/schema.js')
  const { brusselsDate } = await import('../server/src/modules/staff/access.js')
  const { createStaff } = await import('../server/src/modules/staff/service.js')
  const databaseUrl = process.env.BENCH_DATABASE || undefined
  const database = await connect({ databaseUrl, poolSize: 20 })
  if (process.env.BENCH_SEED === '1') await migrate(database)
  let seeded: { officer: { email: string; password: string }; zoneId: number } | undefined
  if (process.env.BENCH_SEED === '1') {
    const [zone] = await database.db.insert(zones).values({
      externalId: `bench-${randomBytes(4).toString('hex')}`,
      name: 'Bench zone',
      geometry: { type: 'Polygon', coordinates: [[[4.36, 50.82], [4.38, 50.82], [4.38, 50.84], [4.36, 50.84], [4.36, 50.82]]] },
    }).returning()
    const password = `bench password ${randomBytes(6).toString('hex')}`
    const staff = await createStaff(database.db, { email: `officer-${randomBytes(4).toString('hex')}@bench.test`, displayName: 'Bench officer', role: 'officer', password, language: 'nl', totpSecret: null })
    await database.db.insert(zoneOfficers).values({ zoneId: zone!.id, staffId: staff.id, primary: true, startsOn: brusselsDate() })
    seeded = { officer: { email: staff.email, password }, zoneId: zone!.id }
  }
  const dir = mkdtempSync(join(tmpdir(), 'nabij-bench-live-'))
  const app = await buildApp(testConfig({ dataDir: dir, photoDir: join(dir, 'photos'), databaseUrl, logLevel: 'silent' }), database)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  console.log(JSON.stringify({ url, ...seeded }))
  process.on('SIGTERM', async () => {
    await app.close()
    await database.close()
    process.exit(0)
  })
}
