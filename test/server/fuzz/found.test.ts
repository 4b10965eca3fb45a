import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { reports } from '../../../server/src/db/schema.js'
import { cellCentre } from '../../../server/src/modules/stats/diagnosis.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'

/** 5xx the property test found, each pinned by the request that showed it. */
let t: TestApp
let officer: StaffLogin
let zoneId: number
beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db)).id
  officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId }))
})
afterAll(() => t.close())

const invalid = { code: 'VALIDATION_FAILED', message: fr.errors.VALIDATION_FAILED }

describe('a broken multipart form', () => {
  it('is refused as invalid input and saves nothing: no boundary, a cut-off part, a malformed part header', async () => {
    const bodies = [
      { type: 'multipart/form-data', payload: '0x7fffffff' },
      { type: 'multipart/form-data; boundary=zzz', payload: '--zzz\r\nContent-Disposition: form-data; name="report"\r\n\r\n{"category":' },
      { type: 'multipart/form-data; boundary=zzz', payload: '--zzz\r\nthis is no header\r\n\r\nx\r\n--zzz--\r\n' },
    ]
    for (const { type, payload } of bodies) {
      for (const [url, headers] of [['/api/reports?lang=fr', {}], [`/api/staff/zones/${zoneId}/posts/photos?lang=fr`, officer.headers]] as const) {
        const res = await t.app.inject({ method: 'POST', url, payload, headers: { ...headers, 'content-type': type } })
        expect(res.statusCode, `${url} ${type} ${payload}`).toBe(400)
        expect(res.json()).toEqual(invalid)
      }
    }
    expect(await t.db.select().from(reports)).toEqual([])
  })
})

describe('a place at the edge of the map', () => {
  it('stays a coordinate once snapped to its cell', () => {
    for (const [lat, lon] of [[90, 180], [-90, -180], [89.9999, 179.9999]] as const) {
      const centre = cellCentre(lat, lon)
      expect(Math.abs(centre.lat), `${lat},${lon}`).toBeLessThanOrEqual(90)
      expect(Math.abs(centre.lon), `${lat},${lon}`).toBeLessThanOrEqual(180)
    }
    expect(cellCentre(90, 0).lat).toBe(90)
  })

  it('can be a priority candidate', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/staff/zones/${zoneId}/priority-rounds`,
      headers: officer.headers,
      payload: { title: 'What first?', language: 'nl', closesAt: new Date(Date.now() + 86_400_000).toISOString(), candidates: [{ title: 'North pole', place: { lat: 90, lon: 0 } }, { title: 'Litter' }] },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().candidates[0].place.lat).toBe(90)
  })
})
