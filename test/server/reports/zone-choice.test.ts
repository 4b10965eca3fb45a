import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reports, zones } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aZone } from '../helpers/factories.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

const leuven = { lat: 50.8798, lon: 4.7005 }
const file = (extra: Record<string, unknown>) => t.app.inject({
  method: 'POST',
  url: '/api/reports',
  payload: { category: 'nuisance', description: 'Loud music every night', anonymous: true, ...extra },
})
const rowOf = async (reference: string) => (await t.db.select().from(reports).where(eq(reports.reference, reference)))[0]!

describe('a neighbourhood chosen from the list instead of the map', () => {
  it('routes the report to that neighbourhood', async () => {
    const zone = await aZone(t.db, { around: leuven })
    const res = await file({ zoneId: zone.id, address: 'Naamsestraat, near the bakery' })
    expect(res.statusCode, res.body).toBe(201)
    expect(await rowOf(res.json().reference)).toMatchObject({ zoneId: zone.id, queue: 'zone', lat: null, lon: null })
  })

  it('is enough on its own as the place of the report', async () => {
    const zone = await aZone(t.db, { around: leuven })
    const res = await file({ zoneId: zone.id })
    expect(res.statusCode, res.body).toBe(201)
    expect((await rowOf(res.json().reference)).zoneId).toBe(zone.id)
  })

  it('gives way to a map point, which decides the zone', async () => {
    const chosen = await aZone(t.db, { around: leuven })
    const flagey = await aZone(t.db, { around: { lat: 50.8275, lon: 4.3721 } })
    const res = await file({ zoneId: chosen.id, location: { lat: 50.8275, lon: 4.3721 } })
    expect((await rowOf(res.json().reference)).zoneId).toBe(flagey.id)
  })

  it('sends a report naming an unknown or retired zone to the central queue', async () => {
    const retired = await aZone(t.db, { around: leuven })
    await t.db.update(zones).set({ retiredAt: new Date() }).where(eq(zones.id, retired.id))
    for (const zoneId of [retired.id, 999_999]) {
      const res = await file({ zoneId, address: 'somewhere' })
      expect(res.statusCode, res.body).toBe(201)
      expect(await rowOf(res.json().reference)).toMatchObject({ zoneId: null, queue: 'central' })
    }
  })
})
