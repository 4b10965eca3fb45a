import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { buildApp } from '../../../server/src/app.js'
import { testConfig, type Config } from '../../../server/src/config.js'
import { connect, type Database } from '../../../server/src/db/connect.js'
import { migrate } from '../../../server/src/db/migrate.js'
import { withDatabase } from '../../setup/databases.js'
import { freshDatabase, engine } from '../helpers/database.js'
import { aStaff, aZone, loginAs } from '../helpers/factories.js'
import { fixture, multipart } from '../photos/fixtures.js'
import { binDir } from '../faults/private-postgres.js'

/**
 * The backup procedure of the README, run for real and restored elsewhere: the restored app must serve the same
 * reports and the same photo bytes. PostgreSQL: pg_dump (custom format) and a tar of the photo dir, restored with
 * pg_restore into a new database. Embedded PGlite: the data dir (database, photos, secrets) copied while stopped.
 */
interface Running { app: FastifyInstance; database: Database; config: Config }

const work = mkdtempSync(join(tmpdir(), 'nabij-backup-'))
const cleanups: (() => Promise<void>)[] = []
let source: Running
let restored: Running
const filed: { reference: string; receiptCode: string }[] = []
let publicPhotoId: string
let officerAccount: { email: string; password: string; totpSecret: string | null }

async function start(config: Config, database: Database): Promise<Running> {
  const app = await buildApp(config, database)
  await app.ready()
  cleanups.push(async () => { await app.close() })
  return { app, database, config }
}

function run(program: string, args: string[]): void {
  execFileSync(join(binDir(), program), args, { stdio: 'pipe' })
}

beforeAll(async () => {
  const sourceDir = join(work, 'source')
  mkdirSync(sourceDir)
  if (engine === 'postgres') {
    const database = await freshDatabase()
    cleanups.push(() => database.close())
    source = await start(testConfig({ dataDir: sourceDir, photoDir: join(sourceDir, 'photos'), databaseUrl: database.url }), database)
  } else {
    // The embedded mode as on a laptop: the database lives in NABIJ_DATA_DIR/pg, photos beside it.
    const database = await connect({ dataDir: sourceDir, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) })
    source = await start(testConfig({ dataDir: sourceDir, photoDir: join(sourceDir, 'photos') }), database)
  }
  await fileReports(source)
}, 120_000)

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
  rmSync(work, { recursive: true, force: true })
})

const at = { lat: 50.8275, lon: 4.3721 }

/** Three residents' reports with photos, an officer's answer, and one published report with a redacted public photo. */
async function fileReports({ app, database }: Running): Promise<void> {
  const zone = await aZone(database.db, { around: at })
  officerAccount = await aStaff(database.db, { role: 'officer', zoneId: zone.id })
  const officer = await loginAs(app, officerAccount)
  const moderator = await loginAs(app, await aStaff(database.db, { role: 'moderator' }))
  const photoSets = [['gps_DSCN0010.jpg'], ['orientation_landscape_6.jpg', 'orientation_portrait_8.jpg'], []]
  for (const [i, names] of photoSets.entries()) {
    const report = { category: 'vandalism', description: `Bus shelter smashed again (${i})`, location: at, anonymous: i !== 2, language: 'nl', ...(i === 2 ? { contact: { name: 'An Peeters', email: 'an@example.be', consent: true } } : {}) }
    const { payload, headers } = multipart({ report: JSON.stringify(report) }, names.map((name) => ({ filename: name, type: 'image/jpeg', data: fixture(name) })))
    const res = await app.inject({ method: 'POST', url: '/api/reports', payload, headers })
    expect(res.statusCode, res.body).toBe(201)
    filed.push(res.json())
  }
  const answered = await app.inject({ method: 'POST', url: `/api/staff/reports/${filed[1]!.reference}/updates`, headers: officer.headers, payload: { cannedKey: 'patrols_increased', visibility: 'public' } })
  expect(answered.statusCode, answered.body).toBe(201)
  const published = await app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${filed[0]!.reference}/decision`, headers: moderator.headers, payload: { decision: 'publish_original', reason: 'ok' } })
  expect(published.statusCode, published.body).toBe(200)
  const view = await followUp(app, filed[0]!.receiptCode)
  publicPhotoId = view.photos[0].id
  const redacted = await app.inject({ method: 'POST', url: `/api/staff/moderation/photos/${publicPhotoId}/redaction`, headers: moderator.headers, payload: { rectangles: [{ x: 0.2, y: 0.2, width: 0.3, height: 0.3 }] } })
  expect(redacted.statusCode, redacted.body).toBe(200)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function followUp(app: FastifyInstance, receiptCode: string): Promise<any> {
  const session = await app.inject({ method: 'POST', url: '/api/receipt/session', payload: { code: receiptCode }, remoteAddress: `192.0.2.${1 + Math.floor(Math.random() * 254)}` })
  expect(session.statusCode, session.body).toBe(200)
  const token = session.json().token as string
  const view = await app.inject({ url: '/api/followup?lang=en', headers: { authorization: `Bearer ${token}` } })
  expect(view.statusCode).toBe(200)
  const body = view.json()
  const bytes = await Promise.all(body.photos.flatMap((p: { url: string; thumbUrl: string }) => [p.url, p.thumbUrl]).map(async (url: string) =>
    (await app.inject({ url, headers: { authorization: `Bearer ${token}` } })).rawPayload.toString('base64')))
  return { ...body, bytes }
}

/** What everyone can see or fetch, from one running app. */
async function everything(app: FastifyInstance) {
  const views = []
  for (const { receiptCode } of filed) views.push(await followUp(app, receiptCode))
  const publicReport = (await app.inject(`/api/public/reports/${filed[0]!.reference}?lang=en`)).json()
  const publicPhoto = (await app.inject(`/api/public/photos/${publicPhotoId}`)).rawPayload.toString('base64')
  return { views, publicReport, publicPhoto }
}

describe('backup and restore', () => {
  it('restores the reports, their timelines and the very photo bytes into a new place that serves them as before', async () => {
    const before = await everything(source.app)
    expect(before.views.map((v) => v.photos.length)).toEqual([1, 2, 0])
    expect(before.publicPhoto.length).toBeGreaterThan(1000)
    const backup = join(work, 'backup')
    mkdirSync(backup)

    if (engine === 'postgres') {
      // The README's procedure: a custom-format dump and a tar of the photo dir, taken while the app runs.
      run('pg_dump', ['--format=custom', '--file', join(backup, 'nabij.dump'), source.config.databaseUrl!])
      execFileSync('tar', ['-C', source.config.photoDir, '-czf', join(backup, 'photos.tar.gz'), '.'])

      const name = `nabij_restore_${randomBytes(4).toString('hex')}`
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
      await admin.connect()
      await admin.query(`create database ${name}`)
      await admin.end()
      const url = withDatabase(process.env.TEST_DATABASE_URL!, name)
      cleanups.push(async () => {
        const dropper = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
        await dropper.connect()
        await dropper.query(`drop database if exists ${name} with (force)`)
        await dropper.end()
      })
      run('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', url, join(backup, 'nabij.dump')])
      const photoDir = join(work, 'restored-photos')
      mkdirSync(photoDir)
      execFileSync('tar', ['-C', photoDir, '-xzf', join(backup, 'photos.tar.gz')])
      const database = await connect({ databaseUrl: url, poolSize: 4 })
      cleanups.push(() => database.close())
      restored = { database, config: { ...source.config, databaseUrl: url, photoDir }, app: undefined as never }
    } else {
      // Embedded: stop, copy the whole data dir (database, photos, generated secrets), start from the copy.
      await source.app.close()
      await source.database.close()
      cpSync(source.config.dataDir, join(backup, 'data'), { recursive: true })
      const dataDir = join(work, 'restored')
      cpSync(join(backup, 'data'), dataDir, { recursive: true })
      const database = await connect({ dataDir })
      cleanups.push(() => database.close())
      restored = { database, config: { ...source.config, dataDir, photoDir: join(dataDir, 'photos') }, app: undefined as never }
    }
    // As main.ts does at start: the migrations find nothing left to apply.
    await migrate(restored.database)
    restored = await start(restored.config, restored.database)

    const after = await everything(restored.app)

    expect(after).toEqual(before)
    // Staff accounts came along: the officer logs in to the restored app and sees the same timeline.
    const officer = await loginAs(restored.app, officerAccount)
    const timeline = await restored.app.inject({ url: `/api/staff/reports/${filed[1]!.reference}/updates`, headers: { cookie: officer.cookie } })
    expect(timeline.statusCode).toBe(200)
    expect(JSON.stringify(timeline.json())).toContain('patrols_increased')
  })
})
