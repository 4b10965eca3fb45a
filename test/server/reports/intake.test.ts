import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import nl from '../../../shared/src/locales/nl.json' with { type: 'json' }
import { categoryKeys } from '../../../shared/src/domain/categories.js'
import { events, idempotencyKeys, reports } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

const flagey = { lat: 50.8275, lon: 4.3721 }
const anonymous = { category: 'drugs', description: 'Dealing by the playground after 22:00', location: flagey, anonymous: true }
const named = {
  category: 'nuisance',
  description: 'Loud music every night from the empty shop',
  address: 'Chaussée de Boondael 12, Ixelles',
  anonymous: false,
  contact: { name: 'An Peeters', email: 'An.Peeters@example.be', phone: '0470 12 34 56', consent: true },
}

async function reportByReference(reference: string) {
  const [row] = await t.db.select().from(reports).where(eq(reports.reference, reference))
  return row!
}

describe('GET /api/categories', () => {
  it('lists every category with its label, help text and routing target in the asked language', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/categories?lang=fr' })

    expect(res.statusCode).toBe(200)
    const { categories } = res.json()
    expect(categories.map((c: { key: string }) => c.key)).toEqual(categoryKeys)
    const conduct = categories.find((c: { key: string }) => c.key === 'police_conduct')
    expect(conduct).toMatchObject({ label: fr.category.police_conduct.label, help: fr.category.police_conduct.help, target: 'oversight', targetLabel: fr.target.oversight })
    expect(categories.find((c: { key: string }) => c.key === 'public_space_defect').target).toBe('municipality')
  })
})

describe('POST /api/reports', () => {
  it('files an anonymous report and shows its receipt code once, storing only a keyed hash of it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: anonymous,
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Nabij-UA-probe', 'x-forwarded-for': '203.0.113.77', cookie: 'probe=cookie-probe-value' },
      remoteAddress: '198.51.100.23',
    })

    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body.reference).toMatch(/^NB-\d{4}-\d{6}$/)
    expect(body.receiptCode).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(body).toMatchObject({ target: 'zone_officers', photoCount: 0 })
    expect(res.headers['set-cookie']).toBeUndefined()

    const row = await reportByReference(body.reference)
    expect(row).toMatchObject({ anonymous: true, category: 'drugs', lat: flagey.lat, lon: flagey.lon, status: 'new', reporterName: null, reporterEmail: null, reporterPhone: null, contactConsent: false })
    expect(row.receiptHash).toBeTruthy()
    const digits = body.receiptCode.replace(/ /g, '')
    const [filed] = await t.db.select().from(events).where(eq(events.reportId, row.id))
    expect(filed).toMatchObject({ type: 'report.filed' })

    // Nothing identifying, and not the code, is anywhere in what was written.
    const written = JSON.stringify([row, filed])
    for (const trace of [digits, body.receiptCode, '203.0.113.77', '198.51.100.23', '127.0.0.1', 'Nabij-UA-probe', 'cookie-probe-value']) expect(written).not.toContain(trace)
  })

  it('drops contact details sent along with an anonymous report', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { ...anonymous, contact: { name: 'Jan', email: 'jan@example.be', consent: true } } })

    expect(res.statusCode).toBe(201)
    const row = await reportByReference(res.json().reference)
    expect(row).toMatchObject({ anonymous: true, reporterName: null, reporterEmail: null, reporterPhone: null })
  })

  it('files a named report with its contact normalised and a receipt code too', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports?lang=fr', payload: named })

    expect(res.statusCode).toBe(201)
    expect(res.json().receiptCode).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    const row = await reportByReference(res.json().reference)
    expect(row).toMatchObject({
      anonymous: false,
      reporterName: 'An Peeters',
      reporterEmail: 'an.peeters@example.be',
      reporterPhone: '+32470123456',
      contactConsent: true,
      addressText: named.address,
      lat: null,
      language: 'fr',
    })
  })

  it('takes the language of the text from the form over the request language', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports?lang=fr', payload: { ...anonymous, language: 'ar' } })

    expect((await reportByReference(res.json().reference)).language).toBe('ar')
  })

  it('routes a complaint about police conduct to the oversight body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { ...anonymous, category: 'police_conduct' } })

    expect(res.json().target).toBe('oversight')
    expect((await reportByReference(res.json().reference)).queue).toBe('oversight')
  })

  it('gives every report its own reference and receipt code', async () => {
    const replies = await Promise.all([1, 2, 3, 4].map(() => t.app.inject({ method: 'POST', url: '/api/reports', payload: anonymous })))

    expect(replies.map((r) => r.statusCode)).toEqual([201, 201, 201, 201])
    expect(new Set(replies.map((r) => r.json().reference)).size).toBe(4)
    expect(new Set(replies.map((r) => r.json().receiptCode)).size).toBe(4)
  })

  it.each([
    ['a named report without contact', { ...named, contact: undefined }, 'CONTACT_REQUIRED'],
    ['a named report with a name but neither email nor phone', { ...named, contact: { name: 'An', consent: true } }, 'CONTACT_REQUIRED'],
    ['an invalid email address', { ...named, contact: { ...named.contact, email: 'an@@example' } }, 'EMAIL_INVALID'],
    ['an invalid phone number', { ...named, contact: { ...named.contact, phone: '0470 12' } }, 'PHONE_INVALID'],
    ['a report without location or address', { ...anonymous, location: undefined }, 'LOCATION_REQUIRED'],
    ['an empty description', { ...anonymous, description: '' }, 'VALIDATION_FAILED'],
    ['a blank description', { ...anonymous, description: '   \n ' }, 'VALIDATION_FAILED'],
    ['a description over 5000 characters', { ...anonymous, description: 'x'.repeat(5001) }, 'VALIDATION_FAILED'],
    ['an unknown category', { ...anonymous, category: 'jaywalking' }, 'VALIDATION_FAILED'],
    ['an incident time in the future', { ...anonymous, incidentAt: new Date(Date.now() + 86_400_000).toISOString() }, 'VALIDATION_FAILED'],
    ['a point off the globe', { ...anonymous, location: { lat: 95, lon: 4 } }, 'VALIDATION_FAILED'],
  ])('refuses %s with a stable code in the asked language, saving nothing', async (_name, payload, code) => {
    const [before] = await t.db.select({ n: count() }).from(reports)
    const res = await t.app.inject({ method: 'POST', url: '/api/reports?lang=fr', payload })

    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code, message: fr.errors[code as keyof typeof fr.errors] })
    const [after] = await t.db.select({ n: count() }).from(reports)
    expect(after!.n).toBe(before!.n)
  })

  it('answers in the language of Accept-Language when no lang is asked', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { ...anonymous, location: undefined }, headers: { 'accept-language': 'nl-BE,nl;q=0.9' } })

    expect(res.json()).toEqual({ code: 'LOCATION_REQUIRED', message: nl.errors.LOCATION_REQUIRED })
  })
})

describe('POST /api/reports with an Idempotency-Key', () => {
  it('answers a retried submission with the first answer and files one report', async () => {
    const headers = { 'idempotency-key': '4f0c7f1e-2a51-4c55-9a59-0f1d8f0b6b11' }
    const first = await t.app.inject({ method: 'POST', url: '/api/reports', payload: anonymous, headers })
    const retry = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { location: flagey, anonymous: true, description: anonymous.description, category: 'drugs' }, headers })

    expect(first.statusCode).toBe(201)
    expect(retry.statusCode).toBe(201)
    expect(retry.json()).toEqual(first.json())
    expect(retry.headers['idempotent-replayed']).toBe('true')
    const rows = await t.db.select().from(reports).where(eq(reports.reference, first.json().reference))
    expect(rows).toHaveLength(1)
    const [stored] = await t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.reportId, rows[0]!.id))
    // The stored first answer is sealed: neither the key nor the receipt code can be read from it.
    expect(JSON.stringify(stored)).not.toContain(first.json().receiptCode.replace(/ /g, ''))
    expect(JSON.stringify(stored)).not.toContain(headers['idempotency-key'])
  })

  it('files one report when the same submission arrives twice at once', async () => {
    const headers = { 'idempotency-key': 'concurrent-retry-0001' }
    const [before] = await t.db.select({ n: count() }).from(reports)
    const [a, b] = await Promise.all([1, 2].map(() => t.app.inject({ method: 'POST', url: '/api/reports', payload: anonymous, headers })))

    expect([a!.statusCode, b!.statusCode]).toEqual([201, 201])
    expect(b!.json()).toEqual(a!.json())
    const [after] = await t.db.select({ n: count() }).from(reports)
    expect(after!.n).toBe(before!.n + 1)
  })

  it('refuses the same key with a different report', async () => {
    const headers = { 'idempotency-key': 'reused-key-for-two-reports' }
    await t.app.inject({ method: 'POST', url: '/api/reports', payload: anonymous, headers })
    const res = await t.app.inject({ method: 'POST', url: '/api/reports?lang=en', payload: { ...anonymous, description: 'Something else entirely' }, headers })

    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('IDEMPOTENCY_CONFLICT')
  })
})
