import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { reports } from '../../../server/src/db/schema.js'
import { maxBodyBytes } from '../../../server/src/plugins/security.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'

let t: TestApp
let admin: StaffLogin
beforeAll(async () => {
  t = await startApp()
  await aZone(t.db, { around: flagey })
  admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
})
afterAll(() => t.close())

const flagey = { lat: 50.8275, lon: 4.3721 }
const invalid = { code: 'VALIDATION_FAILED', message: fr.errors.VALIDATION_FAILED }
const tooLarge = { code: 'BODY_TOO_LARGE', message: fr.errors.BODY_TOO_LARGE }
const reportCount = async () => (await t.db.select({ id: reports.id }).from(reports)).length

describe('body size limits per route', () => {
  it('refuse a login or receipt body far larger than its fields can be', async () => {
    const padding = 'x'.repeat(64 * 1024)
    for (const url of ['/api/staff/session?lang=fr', '/api/receipt/session?lang=fr']) {
      const res = await t.app.inject({ method: 'POST', url, payload: { email: 'a@b.be', password: 'x', code: '1234', padding } })
      expect(res.statusCode, url).toBe(413)
      expect(res.json(), url).toEqual(tooLarge)
    }
  })

  it('accept the largest report the schema allows, even in the characters that take the most bytes', async () => {
    // Every control character is written as \\u00XX: six bytes each in the JSON.
    const description = `${'\u0001'.repeat(4_998)}ok`
    const payload = JSON.stringify({ category: 'drugs', description, location: flagey, address: '\u0001'.repeat(300), language: 'nl', anonymous: true })
    expect(payload.length).toBeGreaterThan(30_000)

    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload, headers: { 'content-type': 'application/json' } })

    expect(res.statusCode).toBe(201)
  })

  it('refuse a report body beyond that, before reading it all', async () => {
    const before = await reportCount()
    const res = await t.app.inject({ method: 'POST', url: '/api/reports?lang=fr', payload: { category: 'drugs', description: 'ok', location: flagey, anonymous: true, padding: 'x'.repeat(200 * 1024) } })
    expect(res.statusCode).toBe(413)
    expect(res.json()).toEqual(tooLarge)
    expect(await reportCount()).toBe(before)
  })

  it('keep the larger limit a route declares for itself: a zone import of a whole country', async () => {
    const geojson = readFileSync(new URL('../../../../shared/fixtures/geo/belgium-municipalities-2011.geojson', import.meta.url), 'utf8')
    const payload = `{"featureCollection":${geojson},"idProperty":"ID","nameProperty":"NAME"}`
    expect(payload.length).toBeGreaterThan(maxBodyBytes * 0.9)
    const res = await t.app.inject({ method: 'POST', url: '/api/zones/import?lang=fr', payload, headers: { ...admin.headers, 'content-type': 'application/json' } })
    expect(res.statusCode).not.toBe(413)
  })
})

describe('values no schema should let through to the database', () => {
  it('refuse U+0000 in a JSON body, a path and a query, and save nothing', async () => {
    const before = await reportCount()
    const body = await t.app.inject({ method: 'POST', url: '/api/reports?lang=fr', payload: { category: 'drugs', description: 'dealing\u0000here', location: flagey, anonymous: true } })
    expect(body.statusCode).toBe(400)
    expect(body.json()).toMatchObject({ ...invalid, details: [{ path: '/description' }] })
    expect(await reportCount()).toBe(before)

    for (const url of ['/api/public/reports/NB-2026%00?lang=fr', '/api/staff/audit?reference=a%00b&lang=fr', '/open311/v2/requests.json?service_request_id=1%00&lang=fr']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie } })
      expect(res.statusCode, url).toBe(400)
      expect(res.body, url).toContain(fr.errors.VALIDATION_FAILED)
    }
  })

  it('refuse a number too large to be an id, or one that is no finite number at all', async () => {
    for (const url of ['/api/zones/2147483648', '/api/zones/1e999', '/api/zones/Infinity', '/api/public/reports?zone=99999999999999999999', '/api/staff/moderation/queue?page=1e300']) {
      const res = await t.app.inject({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}lang=fr`, headers: { cookie: admin.cookie } })
      expect(res.statusCode, url).toBe(400)
      expect(res.json(), url).toMatchObject(invalid)
    }
  })

  it('refuse undeclared fields where a body becomes a row', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/routing-rules?lang=fr', headers: admin.headers, payload: { id: 999, position: 1, name: 'night', queue: 'central' } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject(invalid)
  })

  it('answer a path segment too long for any route in the caller\'s language and format', async () => {
    const long = 'x'.repeat(300)
    const api = await t.app.inject(`/api/public/reports/${long}?lang=fr`)
    expect(api.statusCode).toBe(414)
    expect(api.json()).toEqual(invalid)
    const json = await t.app.inject(`/open311/v2/requests/${long}.json?lang=fr`)
    expect(json.statusCode).toBe(414)
    expect(json.json()).toEqual([{ code: 414, description: fr.errors.VALIDATION_FAILED }])
    const xml = await t.app.inject({ url: `/open311/v2/requests/${long}.xml`, headers: { 'accept-language': 'fr-BE' } })
    expect(xml.statusCode).toBe(414)
    expect(xml.headers['content-type']).toMatch(/xml/)
    expect(xml.body).toContain('<code>414</code>')
    const malformed = await t.app.inject('/api/public/reports/%E0%A4%A?lang=fr')
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json()).toEqual(invalid)
  })

  it('answer an unknown Open311 path in the GeoReport error format', async () => {
    const res = await t.app.inject('/open311/v2/nothing-here.json?lang=fr')
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual([{ code: 404, description: fr.errors.NOT_FOUND }])
  })
})
