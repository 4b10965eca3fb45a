import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoad, seedLoadZone, type LoadTarget } from '../../../bench/scenarios/load.js'
import { buildApp } from '../../../server/src/app.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { engine } from '../helpers/database.js'
import { ServerProcess } from './server-process.js'

/**
 * The load scenario of `npm run bench` (200 residents for 60 s there), short: 50 residents for 10 s against two
 * instances. On PostgreSQL they are two server processes on this file's database; PGlite lives inside one process,
 * so there they are two apps on the same embedded database. It proves correctness, not speed: no error, no update
 * lost, none twice.
 */
let t: TestApp
let target: LoadTarget
let dir: string
const servers: ServerProcess[] = []
const apps: FastifyInstance[] = []

beforeAll(async () => {
  t = await startApp()
  dir = mkdtempSync(join(tmpdir(), 'nabij-load-'))
  let urls: string[]
  if (engine === 'postgres') {
    const env = (i: number) => ({ DATABASE_URL: t.database.url!, SESSION_SECRET: t.config.sessionSecret, RECEIPT_PEPPER: t.config.receiptPepper, NABIJ_DATA_DIR: join(dir, `instance-${i}`), PHOTO_DIR: join(dir, 'photos') })
    servers.push(await ServerProcess.start(env(0)), await ServerProcess.start(env(1)))
    urls = servers.map((s) => s.url)
  } else {
    const second = await buildApp(t.config, t.database)
    apps.push(second)
    urls = [await t.app.listen({ port: 0, host: '127.0.0.1' }), await second.listen({ port: 0, host: '127.0.0.1' })]
  }
  target = { urls, ...(await seedLoadZone(t.db, 3)) }
}, 180_000)
afterAll(async () => {
  for (const server of servers) await server.stop()
  for (const app of apps) await app.close()
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('fifty residents filing and following reports on two instances', () => {
  it('answers every request, and every update an officer posted reaches its resident’s socket exactly once', async () => {
    const outcome = await runLoad(target, { residents: 50, durationMs: 10_000, drainMs: 15_000 })

    // What the server processes logged at error level comes first, so a failure shows its cause, not just a 500.
    expect(servers.flatMap((s) => s.output.split('\n').filter((line) => /"level":(50|60)/.test(line)))).toEqual([])
    expect(outcome.errorSamples).toEqual([])
    expect(outcome).toMatchObject({ reportsFiled: 50, subscribed: 50, errors: 0, lostUpdates: 0, duplicates: 0, outOfOrder: 0 })
    expect(outcome.updatesPosted).toBeGreaterThan(20)
    expect(outcome.delivered).toBe(outcome.updatesPosted)
  }, 120_000)
})
