import { eq } from 'drizzle-orm'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestFields, serviceFields } from '../../../shared/src/api/open311.js'
import { categoryKeys } from '../../../shared/src/domain/categories.js'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { open311Clients, open311Requests, reports } from '../../../server/src/db/schema.js'
import { generalise } from '../../../server/src/modules/public/service.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'
import { insertReports } from '../stats/rows.js'

let t: TestApp
let admin: StaffLogin
let apiKey: string
let zoneId: number
const flagey = { lat: 50.8275, lon: 4.3721 }
const day = 86_400_000

// Every element that occurs in a list becomes an array, so one item and many parse alike.
const parser = new XMLParser({ isArray: (name) => ['service', 'request', 'error', 'attribute'].includes(name), parseTagValue: false })
const form = { 'content-type': 'application/x-www-form-urlencoded' }

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db, { around: flagey, name: 'Flagey' })).id
  admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
  const created = await t.app.inject({ method: 'POST', url: '/api/staff/open311-clients', headers: admin.headers, payload: { name: 'City app' } })
  expect(created.statusCode, created.body).toBe(201)
  apiKey = created.json().apiKey
})
afterAll(() => t.close())

async function xml(url: string): Promise<{ status: number; doc: Record<string, unknown>; body: string }> {
  const res = await t.app.inject(url)
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
  expect(XMLValidator.validate(res.body)).toBe(true)
  return { status: res.statusCode, doc: parser.parse(res.body), body: res.body }
}

describe('GET services', () => {
  it('lists one service per category with exactly the specification\'s fields, in JSON and XML', async () => {
    const json = await t.app.inject('/open311/v2/services.json?lang=fr')
    expect(json.statusCode).toBe(200)
    const services = json.json() as Record<string, unknown>[]
    expect(services.map((s) => s.service_code)).toEqual(categoryKeys)
    for (const service of services) expect(Object.keys(service)).toEqual([...serviceFields])
    const drugs = services.find((s) => s.service_code === 'drugs')!
    expect(drugs).toEqual({
      service_code: 'drugs', service_name: fr.category.drugs.label, description: fr.category.drugs.help, metadata: false, type: 'realtime', keywords: 'drugs', group: fr.target.zone_officers,
    })

    const { doc } = await xml('/open311/v2/services.xml?lang=fr')
    const fromXml = (doc.services as { service: Record<string, string>[] }).service
    expect(fromXml).toHaveLength(categoryKeys.length)
    for (const service of fromXml) expect(Object.keys(service)).toEqual([...serviceFields])
    expect(fromXml.find((s) => s.service_code === 'drugs')).toEqual({ ...drugs, metadata: 'false' })
  })

  it('answers a service definition, and 404 as [{code, description}] for an unknown code', async () => {
    expect((await t.app.inject('/open311/v2/services/theft.json')).json()).toEqual({ service_code: 'theft', attributes: [] })
    const { doc } = await xml('/open311/v2/services/theft.xml')
    expect(doc).toMatchObject({ service_definition: { service_code: 'theft' } })

    const missing = await t.app.inject('/open311/v2/services/arson.json?lang=fr')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual([{ code: 404, description: fr.errors.SERVICE_NOT_FOUND }])
    const missingXml = await xml('/open311/v2/services/arson.xml')
    expect(missingXml.status).toBe(404)
    expect((missingXml.doc.errors as { error: unknown[] }).error).toEqual([{ code: '404', description: expect.any(String) }])

    const badFormat = await t.app.inject('/open311/v2/services.yaml')
    expect(badFormat.statusCode).toBe(400)
  })
})

describe('GET requests', () => {
  const exact = { lat: 50.82761, lon: 4.37219 }
  let published: { reference: string }[]
  let pending: { reference: string }

  beforeAll(async () => {
    const rows = await insertReports(t.db, [
      { zoneId, category: 'drugs', createdAt: new Date(Date.now() - 2 * day - 1234), ...exact, moderationState: 'published_summary', publicSummary: 'Dealing near the station', description: 'Secret original with a name', status: 'in_progress', addressText: 'Rue du Pigeon 3' },
      { zoneId, category: 'vandalism', createdAt: new Date(Date.now() - 5 * day), ...exact, moderationState: 'published_original', description: 'Graffiti on the school wall', status: 'closed', closeReason: 'resolved' },
      { zoneId, category: 'drugs', createdAt: new Date(Date.now() - 200 * day), ...exact, moderationState: 'published_summary', publicSummary: 'Old one', status: 'closed', closeReason: 'referred' },
      { zoneId, category: 'drugs', createdAt: new Date(Date.now() - day), ...exact, moderationState: 'pending', description: 'Not yet moderated' },
    ])
    published = rows.slice(0, 3)
    pending = rows[3]!
  })

  it('shows only published reports through the public projection, with exactly the specification\'s fields', async () => {
    const res = await t.app.inject('/open311/v2/requests.json?lang=fr')
    expect(res.statusCode, res.body).toBe(200)
    const requests = res.json() as Record<string, unknown>[]
    expect(requests.map((r) => r.service_request_id)).toEqual([published[0]!.reference, published[1]!.reference])
    for (const request of requests) expect(Object.keys(request)).toEqual([...requestFields])
    expect(res.body).not.toContain(pending.reference)
    expect(res.body).not.toContain('Secret original')
    expect(res.body).not.toContain('Pigeon')

    const cell = generalise(exact.lat, exact.lon)
    expect(requests[0]).toMatchObject({
      status: 'open', service_code: 'drugs', service_name: fr.category.drugs.label, description: 'Dealing near the station',
      address: null, lat: cell.lat, long: cell.lon, expected_datetime: null,
    })
    expect(String(requests[0]!.requested_datetime)).toMatch(/T\d\d:00:00\.000Z$/)
    expect(requests[1]).toMatchObject({ status: 'closed', status_notes: fr.close_reason.resolved, description: 'Graffiti on the school wall' })
  })

  it('filters by service_code, status and dates', async () => {
    const ids = async (query: string) => ((await t.app.inject(`/open311/v2/requests.json?${query}`)).json() as { service_request_id: string }[]).map((r) => r.service_request_id)
    expect(await ids('service_code=vandalism')).toEqual([published[1]!.reference])
    expect(await ids('service_code=vandalism,drugs&status=open')).toEqual([published[0]!.reference])
    expect(await ids('status=closed')).toEqual([published[1]!.reference])
    const start = new Date(Date.now() - 365 * day).toISOString()
    expect(await ids(`status=closed&start_date=${start}`)).toEqual([published[1]!.reference, published[2]!.reference])
    expect(await ids(`start_date=${start}&end_date=${new Date(Date.now() - 100 * day).toISOString()}`)).toEqual([published[2]!.reference])
    expect(await ids(`service_request_id=${published[2]!.reference},${pending.reference}`)).toEqual([published[2]!.reference])
    const reversed = await t.app.inject(`/open311/v2/requests.json?start_date=${new Date().toISOString()}&end_date=${start}`)
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json()[0].code).toBe(400)
  })

  it('serialises the same requests as XML that parses back to the JSON values', async () => {
    const json = (await t.app.inject('/open311/v2/requests.json')).json() as Record<string, unknown>[]
    const { doc } = await xml('/open311/v2/requests.xml')
    const fromXml = (doc.service_requests as { request: Record<string, string>[] }).request
    expect(fromXml).toHaveLength(json.length)
    fromXml.forEach((request, i) => {
      expect(Object.keys(request)).toEqual([...requestFields])
      for (const field of requestFields) expect(request[field]).toBe(json[i]![field] === null ? '' : String(json[i]![field]))
    })
  })

  it('answers one request by id and 404 for an unpublished one', async () => {
    const one = await t.app.inject(`/open311/v2/requests/${published[1]!.reference}.json`)
    expect(one.json()).toHaveLength(1)
    expect(one.json()[0].service_request_id).toBe(published[1]!.reference)
    const hidden = await t.app.inject(`/open311/v2/requests/${pending.reference}.json`)
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json()).toEqual([{ code: 404, description: expect.any(String) }])
  })
})

describe('POST requests', () => {
  const fields = (extra: Record<string, string> = {}) => new URLSearchParams({
    api_key: apiKey, service_code: 'nuisance', lat: String(flagey.lat), long: String(flagey.lon), description: 'Loud music every night after 1 am', ...extra,
  }).toString()

  it('files an anonymous report through the intake, with a token and a receipt code', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: form, payload: fields() })
    expect(res.statusCode, res.body).toBe(201)
    const [created] = res.json()
    expect(Object.keys(created).sort()).toEqual(['account_id', 'receipt_code', 'service_notice', 'service_request_id', 'token'])
    expect(created.receipt_code).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)

    const [row] = await t.db.select().from(reports).where(eq(reports.reference, created.service_request_id))
    expect(row).toMatchObject({ category: 'nuisance', anonymous: true, reporterName: null, reporterEmail: null, zoneId, moderationState: 'pending' })
    const [link] = await t.db.select().from(open311Requests).where(eq(open311Requests.reportId, row!.id))
    expect(link!.token).toBe(created.token)

    expect((await t.app.inject(`/open311/v2/tokens/${created.token}.json`)).json()).toEqual([{ service_request_id: created.service_request_id, token: created.token }])
    const { doc } = await xml(`/open311/v2/tokens/${created.token}.xml`)
    expect((doc.service_requests as { request: unknown[] }).request).toEqual([{ service_request_id: created.service_request_id, token: created.token }])
    expect((await t.app.inject('/open311/v2/tokens/unknown-token.json')).statusCode).toBe(404)

    // Public only once a moderator publishes it.
    expect((await t.app.inject(`/open311/v2/requests/${created.service_request_id}.json`)).statusCode).toBe(404)
    await t.db.update(reports).set({ moderationState: 'published_summary', publicSummary: 'Night-time noise' }).where(eq(reports.id, row!.id))
    expect((await t.app.inject(`/open311/v2/requests/${created.service_request_id}.json`)).json()[0].description).toBe('Night-time noise')
  })

  it('files a named report when contact data is given, and answers in XML', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/open311/v2/requests.xml', headers: form,
      payload: fields({ first_name: 'Lotte', last_name: 'Janssens', email: 'Lotte@Example.org', address_string: 'Square near the ponds' }),
    })
    expect(res.statusCode, res.body).toBe(201)
    const [created] = (parser.parse(res.body).service_requests as { request: { service_request_id: string; token: string }[] }).request
    const [row] = await t.db.select().from(reports).where(eq(reports.reference, created!.service_request_id))
    expect(row).toMatchObject({ anonymous: false, reporterName: 'Lotte Janssens', reporterEmail: 'lotte@example.org', contactConsent: true, addressText: 'Square near the ponds' })
  })

  it('accepts JSON bodies too', async () => {
    const res = await t.app.inject({
      method: 'POST', url: '/open311/v2/requests.json',
      payload: { api_key: apiKey, service_code: 'traffic', address_string: 'Avenue de la Couronne', description: 'Cars race here at night' },
    })
    expect(res.statusCode, res.body).toBe(201)
  })

  it('refuses a missing, unknown or revoked key with 403, and bad fields in the specification\'s error format', async () => {
    const noKey = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json?lang=fr', headers: form, payload: 'service_code=drugs&description=x&lat=50.8&long=4.3' })
    expect(noKey.statusCode).toBe(400)
    expect(noKey.json()).toEqual([{ code: 400, description: fr.errors.VALIDATION_FAILED }])
    const unknown = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json?lang=fr', headers: form, payload: fields({ api_key: 'nbj_not-a-key' }) })
    expect(unknown.statusCode).toBe(403)
    expect(unknown.json()).toEqual([{ code: 403, description: fr.errors.API_KEY_INVALID }])

    const other = (await t.app.inject({ method: 'POST', url: '/api/staff/open311-clients', headers: admin.headers, payload: { name: 'Old app' } })).json()
    expect((await t.app.inject({ method: 'DELETE', url: `/api/staff/open311-clients/${other.id}`, headers: admin.headers })).statusCode).toBe(204)
    const revoked = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: form, payload: fields({ api_key: other.apiKey }) })
    expect(revoked.statusCode).toBe(403)
    expect((parser.parse(revoked.body).errors as { error: { code: string }[] }).error[0]!.code).toBe('403')

    const badService = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: form, payload: fields({ service_code: 'arson' }) })
    expect(badService.statusCode).toBe(404)
    const nowhere = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json?lang=fr', headers: form, payload: `api_key=${apiKey}&service_code=drugs&description=Somewhere` })
    expect(nowhere.statusCode).toBe(400)
    expect(nowhere.json()).toEqual([{ code: 400, description: fr.errors.LOCATION_REQUIRED }])
  })
})

describe('Open311 clients', () => {
  it('lets only admins create and list clients; the key is shown once and kept as a hash', async () => {
    const officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId }))
    expect((await t.app.inject({ method: 'POST', url: '/api/staff/open311-clients', headers: officer.headers, payload: { name: 'x' } })).statusCode).toBe(403)
    const list = await t.app.inject({ url: '/api/staff/open311-clients', headers: { cookie: admin.cookie } })
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain(apiKey)
    expect(list.json()[0]).toMatchObject({ name: 'City app', keyPrefix: apiKey.slice(0, 10), revoked: false })
    const [row] = await t.db.select().from(open311Clients).where(eq(open311Clients.name, 'City app'))
    expect(row!.keyHash).not.toContain(apiKey)
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/)
  })
})
