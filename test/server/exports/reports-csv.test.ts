import { get } from 'node:http'
import type { AddressInfo } from 'node:net'
import v8 from 'node:v8'
import vm from 'node:vm'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportsExportColumns } from '../../../shared/src/api/stats.js'
import { auditLog } from '../../../server/src/db/schema.js'
import { generalise } from '../../../server/src/modules/public/service.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'
import { insertReports } from '../stats/rows.js'

let t: TestApp
let zoneId: number
let officer: StaffLogin

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db)).id
  officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId }))
})
afterAll(() => t.close())

const parseCsv = (text: string) => text.trimEnd().split('\r\n').map((line) => line.split(','))

describe('GET /api/staff/zones/:id/reports.csv', () => {
  it('exports reports without free text or contact data, times to the hour and the public cell as location', async () => {
    const zone = await aZone(t.db, { around: { lat: 50.85, lon: 4.35 } })
    const login = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId: zone.id }))
    await insertReports(t.db, [
      {
        zoneId: zone.id, category: 'drugs', createdAt: new Date('2025-03-04T10:37:12Z'), acknowledgedAt: new Date('2025-03-04T12:05:00Z'),
        firstPublicAnswerAt: new Date('2025-03-05T08:59:59Z'), closedAt: new Date('2025-03-06T17:30:00Z'), status: 'closed', closeReason: 'resolved',
        lat: 50.85123, lon: 4.35321, description: 'My neighbour, Jan Peeters, deals at =HYPERLINK("x")', anonymous: false,
        reporterName: 'Marie Dubois', reporterEmail: 'marie@example.org', reporterPhone: '+32470123456',
      },
      { zoneId: zone.id, category: 'police_conduct', createdAt: new Date('2025-03-04T11:00:00Z'), queue: 'oversight' },
      { zoneId: zone.id, category: 'nuisance', createdAt: new Date('2025-03-04T11:00:00Z'), moderationState: 'rejected_spam' },
    ])
    const res = await t.app.inject({ url: `/api/staff/zones/${zone.id}/reports.csv`, headers: { cookie: login.cookie } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe(`attachment; filename="zone-${zone.id}-reports.csv"`)
    expect(res.body).not.toMatch(/Jan Peeters|Marie|marie@example|\+32470|HYPERLINK/)

    const [header, ...rows] = parseCsv(res.body)
    expect(header).toEqual([...reportsExportColumns])
    // The oversight complaint and the spam stay out of an officer's export.
    expect(rows).toHaveLength(1)
    const row = Object.fromEntries(header!.map((h, i) => [h, rows[0]![i]]))
    const cell = generalise(50.85123, 4.35321)
    expect(row).toEqual({
      reference: expect.stringMatching(/^NB-/), category: 'drugs', status: 'closed', close_reason: 'resolved', queue: 'zone', promised_response_hours: '72',
      filed_at: '2025-03-04T10:00:00.000Z', acknowledged_at: '2025-03-04T12:00:00.000Z', first_public_answer_at: '2025-03-05T08:00:00.000Z',
      closed_at: '2025-03-06T17:00:00.000Z', lat: String(cell.lat), lon: String(cell.lon),
    })

    const [entry] = await t.db.select().from(auditLog).where(sql`${auditLog.action} = 'reports.exported' and ${auditLog.targetId} = ${String(zone.id)}`)
    expect(entry).toBeDefined()
  })

  it('refuses residents, officers of other zones and moderators', async () => {
    expect((await t.app.inject(`/api/staff/zones/${zoneId}/reports.csv`)).statusCode).toBe(401)
    const other = await aZone(t.db, { around: { lat: 51.2, lon: 4.4 } })
    const stranger = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId: other.id }))
    expect((await t.app.inject({ url: `/api/staff/zones/${zoneId}/reports.csv`, headers: { cookie: stranger.cookie } })).statusCode).toBe(403)
    const moderator = await loginAs(t.app, await aStaff(t.db, { role: 'moderator' }))
    expect((await t.app.inject({ url: `/api/staff/zones/${zoneId}/reports.csv`, headers: { cookie: moderator.cookie } })).statusCode).toBe(403)
  })

  // Not a timed test: the limit only leaves room for PGlite, which moves rows an order of magnitude slower than PostgreSQL.
  it('streams 100,000 rows over HTTP while the heap grows far less than the file', { timeout: 180_000 }, async () => {
    const rows = 100_000
    // One statement, so seeding stays quick on both engines.
    await t.db.execute(sql`
      insert into reports (reference, category, description, language, anonymous, queue, routing_reason, promised_response_hours,
        zone_id, lat, lon, status, created_at, acknowledged_at)
      select 'NB-BULK-' || lpad(g::text, 7, '0'), (array['drugs','nuisance','vandalism','theft'])[1 + g % 4], 'bulk', 'nl', true, 'zone', 'test', 72,
        ${zoneId}, 50.82 + (g % 100) * 0.0001, 4.37 + (g % 77) * 0.0001, 'acknowledged',
        timestamptz '2024-01-01T00:00:00Z' + make_interval(mins => g), timestamptz '2024-01-01T02:00:00Z' + make_interval(mins => g)
      from generate_series(1, ${rows}) g`)
    // What autovacuum does after a bulk load: without statistics the planner would sort the zone for every page.
    await t.db.execute(sql`analyze reports`)

    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as AddressInfo

    gc()
    const baseline = process.memoryUsage().heapUsed
    let peak = 0
    let bytes = 0
    let lines = 0
    let nextSample = 0
    let tail = ''
    await new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: `/api/staff/zones/${zoneId}/reports.csv`, headers: { cookie: officer.cookie } }, (res) => {
        expect(res.statusCode).toBe(200)
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          // Count and drop: the client keeps nothing, so any growth is the server's.
          bytes += Buffer.byteLength(chunk)
          lines += chunk.split('\n').length - 1
          tail = chunk.slice(-200)
          if (bytes >= nextSample) {
            gc()
            peak = Math.max(peak, process.memoryUsage().heapUsed - baseline)
            nextSample += 2_000_000
          }
        })
        res.on('end', resolve)
        res.on('error', reject)
      }).on('error', reject)
    })

    expect(lines).toBe(rows + 1)
    expect(tail).toContain(`NB-BULK-${String(rows).padStart(7, '0')}`)
    expect(bytes).toBeGreaterThan(10_000_000)
    // Holding the export in memory would cost several times its size in row objects; one batch is a few MB at most.
    expect(peak).toBeLessThan(bytes / 2)
    expect(peak).toBeLessThan(8_000_000)
  })
})
