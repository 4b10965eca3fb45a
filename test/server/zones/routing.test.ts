import { readFileSync } from 'node:fs'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reports, routingRules, zones } from '../../../server/src/db/schema.js'
import { brusselsClock, inWindow, routeReport } from '../../../server/src/modules/zones/routing.js'
import { importZones } from '../../../server/src/modules/zones/service.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, squareAround } from '../helpers/factories.js'

const geo = (file: string) => JSON.parse(readFileSync(new URL(`../../../../shared/fixtures/geo/${file}`, import.meta.url), 'utf8'))

let t: TestApp
const zoneIdOf = new Map<string, number>()
beforeAll(async () => {
  t = await startApp()
  const policeZones = await importZones(t.db, geo('brussels-police-zones.geojson'))
  const leuven = await importZones(t.db, geo('leuven-deelgemeenten.geojson'), { policeZoneId: '5388', policeZoneName: 'PZ Leuven' })
  for (const z of [...policeZones.zones, ...leuven.zones]) zoneIdOf.set(z.externalId, z.id)
})
afterAll(() => t.close())

const flagey = { lat: 50.8275, lon: 4.3721 }

describe('routing by point in polygon', () => {
  it('routes a point inside a zone to that zone', async () => {
    const decision = await routeReport(t.db, flagey, 'drugs')
    expect(decision).toMatchObject({ zoneId: zoneIdOf.get('5339'), queue: 'zone', routingRuleId: null })
    expect(decision.routingReason).toMatch(/zone Bruxelles-Capitale\/Ixelles/)
  })

  it('routes a point in the hole of a zone to the zone that fills the hole', async () => {
    // Saint-Gilles' small second part is an enclave of zone 5341 inside zone 5339.
    const inHole = { lat: 50.835299, lon: 4.356098 }
    expect((await routeReport(t.db, inHole, 'vandalism')).zoneId).toBe(zoneIdOf.get('5341'))
  })

  it('routes a point in the second part of a multipolygon zone to it', async () => {
    expect((await routeReport(t.db, { lat: 50.835308, lon: 4.35612 }, 'theft')).zoneId).toBe(zoneIdOf.get('5341'))
  })

  it('routes a point exactly on a border to one of the zones sharing it, the same one every time', async () => {
    const zone5339 = (await t.db.select().from(zones).where(eq(zones.externalId, '5339')))[0]!
    const zone5341 = (await t.db.select().from(zones).where(eq(zones.externalId, '5341')))[0]!
    // A vertex of 5341's outer ring that 5339's outline also has: a point on both borders.
    const ring5339 = new Set((zone5339.geometry.coordinates as number[][][])[0]!.map(([x, y]) => `${x},${y}`))
    const parts = zone5341.geometry.coordinates as number[][][][]
    const shared = parts.flatMap((p) => p[0]!).find(([x, y]) => ring5339.has(`${x},${y}`))!
    const point = { lat: shared[1]!, lon: shared[0]! }
    const first = await routeReport(t.db, point, 'nuisance')
    expect([zone5339.id, zone5341.id]).toContain(first.zoneId)
    expect(first.queue).toBe('zone')
    for (let i = 0; i < 3; i++) expect((await routeReport(t.db, point, 'nuisance')).zoneId).toBe(first.zoneId)
  })

  it('routes Leuven neighbourhoods by their OpenStreetMap outlines', async () => {
    expect((await routeReport(t.db, { lat: 50.8789, lon: 4.7010 }, 'drugs')).zoneId).toBe(zoneIdOf.get('24062A'))
    expect((await routeReport(t.db, { lat: 50.8895, lon: 4.7330 }, 'drugs')).zoneId).toBe(zoneIdOf.get('24062C'))
    expect((await routeReport(t.db, { lat: 50.8628, lon: 4.6851 }, 'drugs')).zoneId).toBe(zoneIdOf.get('24062D'))
  })

  it('sends a report outside every zone, or without a location, to the central queue', async () => {
    expect(await routeReport(t.db, { lat: 51.0530, lon: 3.7270 }, 'drugs')).toMatchObject({ zoneId: null, queue: 'central', routingReason: 'outside every zone → central queue' })
    expect(await routeReport(t.db, null, 'drugs')).toMatchObject({ zoneId: null, queue: 'central' })
  })

  it('sees a zone changed by another instance on the very next report', async () => {
    const far = { lat: 46.5, lon: 6.6 }
    expect((await routeReport(t.db, far, 'drugs')).zoneId).toBeNull()
    const zone = await aZone(t.db, { around: far })
    expect((await routeReport(t.db, far, 'drugs')).zoneId).toBe(zone.id)
    // As another instance's edit would: a new outline elsewhere, version and updated_at bumped.
    await t.db.execute(sql`update zones set geometry = ${JSON.stringify(squareAround({ lat: 47.5, lon: 6.6 }))}::jsonb, version = version + 1, updated_at = now() where id = ${zone.id}`)
    expect((await routeReport(t.db, far, 'drugs')).zoneId).toBeNull()
    await t.db.update(zones).set({ retiredAt: new Date(), version: sql`${zones.version} + 1`, updatedAt: new Date() }).where(eq(zones.id, zone.id))
    expect((await routeReport(t.db, { lat: 47.5, lon: 6.6 }, 'drugs')).zoneId).toBeNull()
  })
})

describe('an intake routing on what its instance last read', () => {
  const file = async (at: { lat: number; lon: number }) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { category: 'drugs', description: 'Dealen aan de hoek', location: at, language: 'nl', anonymous: true } })
    expect(res.statusCode).toBe(201)
    const [row] = await t.db.select({ zoneId: reports.zoneId, queue: reports.queue, routingRuleId: reports.routingRuleId }).from(reports).where(eq(reports.reference, res.json().reference))
    return row!
  }

  it('files into a zone drawn, moved and retired by another instance, and under a rule it added, from the very next report', async () => {
    const far = { lat: 45.5, lon: 7.6 }
    expect(await file(far)).toMatchObject({ zoneId: null, queue: 'central' })
    // Each change made in SQL, as another instance would: this process learns of it only from its own intake.
    const zone = await aZone(t.db, { around: far })
    expect((await file(far)).zoneId).toBe(zone.id)
    await t.db.execute(sql`update zones set geometry = ${JSON.stringify(squareAround({ lat: 44.5, lon: 7.6 }))}::jsonb, version = version + 1, updated_at = now() where id = ${zone.id}`)
    expect((await file(far)).zoneId).toBeNull()
    expect((await file({ lat: 44.5, lon: 7.6 })).zoneId).toBe(zone.id)
    const [rule] = await t.db.insert(routingRules).values({ name: 'drugs to central', category: 'drugs', zoneId: zone.id, queue: 'central', position: 0 }).returning()
    expect(await file({ lat: 44.5, lon: 7.6 })).toMatchObject({ zoneId: zone.id, queue: 'central', routingRuleId: rule!.id })
    await t.db.execute(sql`update zones set retired_at = now(), version = version + 1, updated_at = now() where id = ${zone.id}`)
    expect((await file({ lat: 44.5, lon: 7.6 })).zoneId).toBeNull()
    // The rule tests below start without rules.
    await t.db.update(reports).set({ routingRuleId: null }).where(eq(reports.routingRuleId, rule!.id))
    await t.db.delete(routingRules).where(eq(routingRules.id, rule!.id))
  })
})

describe('the category floor', () => {
  it('sends police-conduct complaints to oversight, never to the zone officers', async () => {
    const officer = await aStaff(t.db, { role: 'officer', zoneId: zoneIdOf.get('5339')! })
    // Even a rule written for every category of the zone cannot lift the floor.
    await t.db.insert(routingRules).values({ position: 0, name: 'everything to the officer', zoneId: zoneIdOf.get('5339')!, queue: 'zone', assignStaffId: officer.id })
    const decision = await routeReport(t.db, flagey, 'police_conduct')
    expect(decision).toMatchObject({ zoneId: zoneIdOf.get('5339'), queue: 'oversight', assignedStaffId: null, routingRuleId: null })
    expect(decision.routingReason).toMatch(/^category floor: police conduct → oversight/)
    await t.db.delete(routingRules)
  })

  it("sends municipal defects to the municipality's queue", async () => {
    expect(await routeReport(t.db, flagey, 'public_space_defect')).toMatchObject({ queue: 'municipality', assignedStaffId: null })
  })

  it("assigns everything else to the zone's primary officer", async () => {
    const zone = await aZone(t.db, { around: { lat: 40.1, lon: 3.1 } })
    const primary = await aStaff(t.db, { role: 'officer', zoneId: zone.id, primary: true })
    await aStaff(t.db, { role: 'officer', zoneId: zone.id, primary: false })
    const decision = await routeReport(t.db, { lat: 40.1, lon: 3.1 }, 'loitering')
    expect(decision).toMatchObject({ zoneId: zone.id, queue: 'zone', assignedStaffId: primary.id })
    expect(decision.routingReason).toContain(primary.displayName)
  })
})

describe('routing rules', () => {
  const zonePoint = { lat: 41.1, lon: 3.1 }
  let zoneId: number
  let nightOfficer: number
  let weekendOfficer: number
  beforeAll(async () => {
    await t.db.delete(routingRules)
    zoneId = (await aZone(t.db, { around: zonePoint })).id
    await aStaff(t.db, { role: 'officer', zoneId })
    nightOfficer = (await aStaff(t.db, { role: 'officer', zoneId, primary: false })).id
    weekendOfficer = (await aStaff(t.db, { role: 'officer', zoneId, primary: false })).id
    await t.db.insert(routingRules).values([
      { position: 10, name: 'night shift', zoneId, fromMinute: 22 * 60, toMinute: 6 * 60, queue: 'zone', assignStaffId: nightOfficer },
      { position: 20, name: 'weekend noise', zoneId, category: 'nuisance', weekdays: [6, 7], queue: 'zone', assignStaffId: weekendOfficer },
      { position: 30, name: 'traffic to the central desk', category: 'traffic', queue: 'central' },
      { position: 5, name: 'disabled rule', zoneId, queue: 'central', enabled: false },
    ])
  })

  it('fires the night-shift rule at 22:30 Brussels time in winter and in summer', async () => {
    const winter = await routeReport(t.db, zonePoint, 'drugs', new Date('2026-01-15T21:30:00Z'))
    const summer = await routeReport(t.db, zonePoint, 'drugs', new Date('2026-07-15T20:30:00Z'))
    for (const d of [winter, summer]) expect(d).toMatchObject({ queue: 'zone', assignedStaffId: nightOfficer, routingReason: expect.stringMatching(/^rule "night shift"/) })
    const [rule] = await t.db.select().from(routingRules).where(eq(routingRules.name, 'night shift'))
    expect(winter.routingRuleId).toBe(rule!.id)
  })

  it('does not fire the night-shift rule at 21:30 Brussels time', async () => {
    const decision = await routeReport(t.db, zonePoint, 'drugs', new Date('2026-07-15T19:30:00Z'))
    expect(decision.routingRuleId).toBeNull()
    expect(decision.assignedStaffId).not.toBe(nightOfficer)
  })

  it('matches the weekday, category and zone of a rule, first match winning', async () => {
    // Saturday 14:00 in Brussels: noise goes to the weekend officer…
    expect((await routeReport(t.db, zonePoint, 'nuisance', new Date('2026-03-14T13:00:00Z'))).assignedStaffId).toBe(weekendOfficer)
    // …but on Saturday at 23:00 the night-shift rule comes first.
    expect((await routeReport(t.db, zonePoint, 'nuisance', new Date('2026-03-14T22:00:00Z'))).assignedStaffId).toBe(nightOfficer)
    // On a Wednesday afternoon no rule fires.
    expect((await routeReport(t.db, zonePoint, 'nuisance', new Date('2026-03-11T13:00:00Z'))).routingRuleId).toBeNull()
    // In another zone the zone's rules do not apply.
    expect((await routeReport(t.db, flagey, 'nuisance', new Date('2026-03-14T13:00:00Z'))).routingRuleId).toBeNull()
  })

  it('applies a rule without zone everywhere, even outside every zone', async () => {
    const inZone = await routeReport(t.db, zonePoint, 'traffic', new Date('2026-03-11T13:00:00Z'))
    expect(inZone).toMatchObject({ zoneId, queue: 'central', assignedStaffId: null })
    expect((await routeReport(t.db, { lat: 51.05, lon: 3.72 }, 'traffic', new Date('2026-03-11T13:00:00Z'))).routingReason).toMatch(/^rule "traffic to the central desk"/)
  })

  it('counts a window past midnight as part of the day it started on', () => {
    const fridayNight = { weekdays: [5], fromMinute: 22 * 60, toMinute: 6 * 60 }
    expect(inWindow(fridayNight, brusselsClock(new Date('2026-03-14T02:00:00Z')))).toBe(true) // Saturday 03:00
    expect(inWindow(fridayNight, brusselsClock(new Date('2026-03-15T02:00:00Z')))).toBe(false) // Sunday 03:00
    expect(inWindow(fridayNight, brusselsClock(new Date('2026-03-13T21:30:00Z')))).toBe(true) // Friday 22:30
  })

  it('saves the routing decision on a report filed through the API and shows it to staff', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { category: 'drugs', description: 'Dealing near the square', location: flagey, anonymous: true } })
    expect(res.statusCode).toBe(201)
    const [row] = await t.db.select().from(reports).where(eq(reports.reference, res.json().reference))
    expect(row).toMatchObject({ zoneId: zoneIdOf.get('5339'), queue: 'zone', routingRuleId: null })
    expect(row!.routingReason).toMatch(/zone Bruxelles-Capitale\/Ixelles → zone officers/)
  })
})
