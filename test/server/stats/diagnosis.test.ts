import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DiagnosisCell, DiagnosisReply } from '../../../shared/src/api/stats.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'
import { insertReports } from './rows.js'

let t: TestApp
let zoneId: number
let officer: StaffLogin
const flagey = { lat: 50.8275, lon: 4.3721 }
// About 600 m north-east: another cell.
const ponds = { lat: 50.8322, lon: 4.3790 }
const inJanuary = new Date('2025-01-15T12:00:00Z')
const inFebruary = new Date('2025-02-15T12:00:00Z')

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db, { around: flagey, radius: 0.02 })).id
  officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId }))
  const at = (place: typeof flagey, category: 'drugs' | 'unsafe_place' | 'police_conduct', createdAt: Date, n: number) =>
    Array.from({ length: n }, () => ({ zoneId, category, createdAt, ...place }))
  await insertReports(t.db, [
    ...at(flagey, 'drugs', inJanuary, 7),
    ...at(flagey, 'unsafe_place', inJanuary, 2),
    ...at(flagey, 'police_conduct', inJanuary, 6),
    ...at(ponds, 'unsafe_place', inJanuary, 3),
    ...at(flagey, 'drugs', inFebruary, 3),
    // Without a place, a report cannot sit in a cell.
    { zoneId, category: 'drugs', createdAt: inJanuary },
  ])
})
afterAll(() => t.close())

const contains = (cell: DiagnosisCell, p: { lat: number; lon: number }) =>
  cell.bounds[0] <= p.lat && p.lat < cell.bounds[2] && cell.bounds[1] <= p.lon && p.lon < cell.bounds[3]
const count = (cell: DiagnosisCell, category: string) => cell.byCategory.find((c) => c.category === category)?.count

async function get(url: string, cookie?: string): Promise<DiagnosisReply> {
  const res = await t.app.inject({ url, headers: cookie ? { cookie } : {} })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('GET /api/staff/diagnosis', () => {
  it('gives officers exact counts per ~250 m cell, category and month, without police-conduct complaints', async () => {
    const reply = await get(`/api/staff/diagnosis?zoneId=${zoneId}&from=2025-01-01&to=2025-03-31`, officer.cookie)
    expect(reply.periods).toEqual(['2025-01-01', '2025-02-01', '2025-03-01'])
    expect(reply.cellMeters).toBe(250)
    expect(reply.cells).toHaveLength(3)

    const january = reply.cells.find((c) => c.period === '2025-01-01' && contains(c, flagey))!
    expect(january.total).toEqual({ value: 9, suppressed: false })
    expect(count(january, 'drugs')).toEqual({ value: 7, suppressed: false })
    expect(count(january, 'unsafe_place')).toEqual({ value: 2, suppressed: false })
    expect(count(january, 'police_conduct')).toBeUndefined()
    const heightMetres = (january.bounds[2] - january.bounds[0]) * 111_320
    const widthMetres = (january.bounds[3] - january.bounds[1]) * 111_320 * Math.cos((flagey.lat * Math.PI) / 180)
    expect(heightMetres).toBeCloseTo(250, 0)
    expect(Math.abs(widthMetres - 250)).toBeLessThan(5)

    const ponds1 = reply.cells.find((c) => c.period === '2025-01-01' && contains(c, ponds))!
    expect(ponds1.cell).not.toBe(january.cell)
    expect(ponds1.total.value).toBe(3)
    const february = reply.cells.find((c) => c.period === '2025-02-01')!
    expect(february.cell).toBe(january.cell)
    expect(february.total.value).toBe(3)
  })

  it('groups by quarter and filters by category', async () => {
    const quarter = await get(`/api/staff/diagnosis?zoneId=${zoneId}&from=2025-01-01&to=2025-03-31&period=quarter`, officer.cookie)
    expect(quarter.periods).toEqual(['2025-01-01'])
    expect(quarter.cells.find((c) => contains(c, flagey))!.total.value).toBe(12)

    const unsafe = await get(`/api/staff/diagnosis?zoneId=${zoneId}&from=2025-01-01&to=2025-03-31&category=unsafe_place`, officer.cookie)
    expect(unsafe.cells.map((c) => c.total.value).sort()).toEqual([2, 3])
    expect(unsafe.cells.every((c) => c.byCategory.every((b) => b.category === 'unsafe_place'))).toBe(true)
  })

  it('lets partners in, refuses an officer of another zone and anyone without a session', async () => {
    const partner = await loginAs(t.app, await aStaff(t.db, { role: 'partner' }))
    await get(`/api/staff/diagnosis?zoneId=${zoneId}`, partner.cookie)

    const elsewhere = await aZone(t.db, { around: { lat: 51.2, lon: 4.4 } })
    const stranger = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId: elsewhere.id }))
    const forbidden = await t.app.inject({ url: `/api/staff/diagnosis?zoneId=${zoneId}`, headers: { cookie: stranger.cookie } })
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.json().code).toBe('FORBIDDEN')

    const anonymous = await t.app.inject(`/api/staff/diagnosis?zoneId=${zoneId}`)
    expect(anonymous.statusCode).toBe(401)
  })
})

describe('GET /api/public/zones/:id/diagnosis', () => {
  it('shows the same grid with counts of one to four suppressed, and the cell that would give one away', async () => {
    const reply = await get(`/api/public/zones/${zoneId}/diagnosis?from=2025-01-01&to=2025-03-31`)
    expect(reply.smallCountThreshold).toBe(5)
    const january = reply.cells.find((c) => c.period === '2025-01-01' && contains(c, flagey))!
    expect(january.total).toEqual({ value: 9, suppressed: false })
    expect(count(january, 'unsafe_place')).toEqual({ value: null, suppressed: true })
    // 9 − 7 would reveal the two unsafe-place reports.
    expect(count(january, 'drugs')).toEqual({ value: null, suppressed: true })
    const ponds1 = reply.cells.find((c) => contains(c, ponds))!
    expect(ponds1.total).toEqual({ value: null, suppressed: true })
    expect(JSON.stringify(reply)).not.toContain('police_conduct')
  })

  it('answers 404 for an unknown zone and 400 for a reversed period', async () => {
    expect((await t.app.inject('/api/public/zones/999999/diagnosis')).json().code).toBe('ZONE_NOT_FOUND')
    const reversed = await t.app.inject(`/api/public/zones/${zoneId}/diagnosis?from=2025-03-01&to=2025-01-01`)
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json().code).toBe('RANGE_INVALID')
  })
})
