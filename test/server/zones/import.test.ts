import { readFileSync } from 'node:fs'
import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '@nabij/shared/locales/en.json' with { type: 'json' }
import { auditLog, zones } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs, type StaffLogin } from '../helpers/factories.js'

const geo = (file: string) => JSON.parse(readFileSync(new URL(`../../../../shared/fixtures/geo/${file}`, import.meta.url), 'utf8'))
const quartiers = geo('brussels-quartiers.geojson')
const municipalities = geo('belgium-municipalities-2011.geojson')

let t: TestApp
let admin: StaffLogin
beforeAll(async () => {
  t = await startApp()
  admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
})
afterAll(() => t.close())

const importZones = (payload: Record<string, unknown>, headers = admin.headers) =>
  t.app.inject({ method: 'POST', url: '/api/zones/import?lang=en', headers, payload })
const locate = async (lat: number, lon: number) => {
  const res = await t.app.inject({ url: `/api/zones/locate?lat=${lat}&lon=${lon}` })
  expect(res.statusCode).toBe(200)
  return res.json().zone as { id: number; externalId: string; name: string; policeZoneId: string | null } | null
}
const zoneCount = async () => (await t.db.select({ n: count() }).from(zones))[0]!.n

describe('importing real boundaries', () => {
  it('imports the 145 Brussels neighbourhoods, each under the police zone it names', async () => {
    const res = await importZones({ featureCollection: quartiers, policeZoneProperty: 'police_zone' })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ created: 145, updated: 0, unchanged: 0 })
    const flagey = await locate(50.8275, 4.3721)
    expect(flagey).toMatchObject({ externalId: '37', name: 'Flagey - malibran', policeZoneId: '5339' })
    const police = await t.app.inject('/api/police-zones')
    expect(police.json().map((p: { id: string }) => p.id)).toEqual(['5339', '5340', '5341', '5342', '5343', '5344'])
  })

  it('imports the 589 municipalities beside them, and a point resolves to the most specific zone', async () => {
    const res = await importZones({ featureCollection: municipalities })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ created: 589, updated: 0 })
    expect(await zoneCount()).toBe(734)
    // The neighbourhood wins over the municipality that contains it.
    expect((await locate(50.8275, 4.3721))?.externalId).toBe('37')
    expect((await locate(50.8467, 4.3525))?.name).toMatch(/^grand place/i)
    expect((await locate(50.8814, 4.7157))?.externalId).toBe('24062') // Leuven station
    expect((await locate(51.0530, 3.7270))?.externalId).toBe('44021') // Gent, Sint-Baafs
    expect((await locate(50.6455, 5.5733))?.externalId).toBe('62063') // Liège, place Saint-Lambert
    expect((await locate(51.2210, 4.3997))?.externalId).toBe('11002') // Antwerpen, Grote Markt
  })

  it('finds the small second part of a multipolygon neighbourhood', async () => {
    expect((await locate(50.796577, 4.345595))?.externalId).toBe('109') // Observatoire, its 14-vertex part
    expect((await locate(50.835308, 4.35612))?.externalId).toBe('41') // Berckmans - hôtel des monnaies, exclave
  })

  it('finds nothing in the sea, in Paris or in the German enclave that is a hole of Raeren', async () => {
    expect(await locate(51.5, 2.6)).toBeNull()
    expect(await locate(48.8566, 2.3522)).toBeNull()
    expect(await locate(50.65639, 6.183587)).toBeNull()
  })

  it('lists the active zones publicly with their outlines, or names only', async () => {
    const full = await t.app.inject('/api/zones?policeZoneId=5339')
    expect(full.statusCode).toBe(200)
    const list = full.json()
    expect(list.length).toBeGreaterThan(30)
    expect(list[0].geometry.type).toMatch(/Polygon$/)
    const names = await t.app.inject('/api/zones?geometry=false')
    expect(names.json()).toHaveLength(734)
    expect(names.json()[0]).not.toHaveProperty('geometry')
  })

  it('reports an identical re-import as unchanged, without new versions', async () => {
    const res = await importZones({ featureCollection: quartiers, policeZoneProperty: 'police_zone' })
    expect(res.json()).toMatchObject({ created: 0, updated: 0, unchanged: 145 })
    const [q37] = await t.db.select().from(zones).where(eq(zones.externalId, '37'))
    expect(q37!.version).toBe(1)
  })

  it('writes each import to the audit log', async () => {
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'zones.import'))
    expect(rows.length).toBeGreaterThanOrEqual(2)
    expect(rows[0]!.staffId).not.toBeNull()
  })
})

const square = (ring: number[][]) => ({ type: 'Polygon', coordinates: [ring] })
const feature = (id: string, geometry: unknown) => ({ type: 'Feature', properties: { id, name: `Zone ${id}` }, geometry })
const good = feature('ok-1', square([[4.40, 50.80], [4.41, 50.80], [4.41, 50.81], [4.40, 50.81], [4.40, 50.80]]))

describe('refusing invalid GeoJSON', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an unclosed ring', feature('open-ring', square([[4.40, 50.80], [4.41, 50.80], [4.41, 50.81], [4.40, 50.81]])), /feature "open-ring": outer ring is not closed/],
    ['a self-intersecting ring', feature('bow-tie', square([[4.40, 50.80], [4.41, 50.81], [4.41, 50.80], [4.40, 50.81], [4.40, 50.80]])), /feature "bow-tie": outer ring intersects itself/],
    ['a coordinate out of range', feature('far-away', square([[4.40, 50.80], [500, 50.80], [4.41, 50.81], [4.40, 50.80]])), /feature "far-away": outer ring has a position out of range/],
    ['a point geometry', feature('a-point', { type: 'Point', coordinates: [4.4, 50.8] }), /feature "a-point": geometry must be a Polygon or MultiPolygon/],
    ['a missing id', { type: 'Feature', properties: { name: 'Nameless' }, geometry: good.geometry }, /feature #2: property "id" is missing/],
    ['a repeated id', feature('ok-1', good.geometry), /feature "ok-1": same id as feature #1/],
  ]

  for (const [what, bad, message] of cases) {
    it(`refuses ${what}, naming the feature, and saves nothing`, async () => {
      const before = await zoneCount()
      const res = await importZones({ featureCollection: { type: 'FeatureCollection', features: [good, bad] } })

      expect(res.statusCode).toBe(400)
      const body = res.json()
      expect(body.code).toBe('GEOJSON_INVALID')
      expect(body.message).toBe(en.errors.GEOJSON_INVALID)
      expect(body.details[0].path).toMatch(/^\/features\/1/)
      expect(body.details[0].message).toMatch(message)
      expect(await zoneCount()).toBe(before)
    })
  }

  it('refuses a body that is not a FeatureCollection with VALIDATION_FAILED', async () => {
    const res = await importZones({ featureCollection: { type: 'Feature', geometry: good.geometry } })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('VALIDATION_FAILED')
  })
})

describe('editing and retiring a zone', () => {
  it('keeps every version in the history, and a retired zone no longer receives points', async () => {
    const created = await importZones({ featureCollection: { type: 'FeatureCollection', features: [feature('edit-me', square([[2.0, 45.0], [2.1, 45.0], [2.1, 45.1], [2.0, 45.1], [2.0, 45.0]]))] } })
    const id = created.json().zones[0].id as number
    expect((await locate(45.05, 2.05))?.id).toBe(id)

    const moved = await t.app.inject({
      method: 'PATCH', url: `/api/zones/${id}`, headers: admin.headers,
      payload: { name: 'Edited', geometry: square([[2.2, 45.0], [2.3, 45.0], [2.3, 45.1], [2.2, 45.1], [2.2, 45.0]]) },
    })
    expect(moved.statusCode).toBe(200)
    expect(moved.json()).toMatchObject({ name: 'Edited', version: 2, retiredAt: null })
    expect(await locate(45.05, 2.05)).toBeNull()
    expect((await locate(45.05, 2.25))?.id).toBe(id)

    const retired = await t.app.inject({ method: 'PATCH', url: `/api/zones/${id}`, headers: admin.headers, payload: { retired: true } })
    expect(retired.json().retiredAt).not.toBeNull()
    expect(await locate(45.05, 2.25)).toBeNull()
    expect((await t.app.inject(`/api/zones/${id}`)).statusCode).toBe(404)

    const history = await t.app.inject({ url: `/api/zones/${id}/history`, headers: { cookie: admin.cookie } })
    expect(history.json().map((h: { version: number; change: string; name: string }) => [h.version, h.change, h.name]))
      .toEqual([[1, 'created', 'Zone edit-me'], [2, 'edited', 'Edited'], [3, 'retired', 'Edited']])

    const restored = await t.app.inject({ method: 'PATCH', url: `/api/zones/${id}`, headers: admin.headers, payload: { retired: false } })
    expect(restored.json()).toMatchObject({ version: 4, retiredAt: null })
    expect((await locate(45.05, 2.25))?.id).toBe(id)
  })

  it('refuses an invalid new outline, naming the problem', async () => {
    const [any] = await t.db.select().from(zones).limit(1)
    const res = await t.app.inject({
      method: 'PATCH', url: `/api/zones/${any!.id}`, headers: admin.headers,
      payload: { geometry: square([[4.40, 50.80], [4.41, 50.81], [4.41, 50.80], [4.40, 50.81], [4.40, 50.80]]) },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('GEOJSON_INVALID')
    expect(res.json().details[0].message).toMatch(/intersects itself/)
  })

  it('answers ZONE_NOT_FOUND for an unknown zone', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/zones/999999', headers: admin.headers, payload: { name: 'x' } })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('ZONE_NOT_FOUND')
  })

  it('lets only administrators import or edit zones', async () => {
    const officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer' }))
    const res = await importZones({ featureCollection: { type: 'FeatureCollection', features: [good] } }, officer.headers)
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('FORBIDDEN')
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/zones/import', payload: { featureCollection: { type: 'FeatureCollection', features: [good] } } })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json().code).toBe('UNAUTHENTICATED')
  })
})
