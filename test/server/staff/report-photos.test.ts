import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'
import { fixture, multipart } from '../photos/fixtures.js'

let t: TestApp
let reference: string
let own: StaffLogin
let other: StaffLogin

const flagey = { lat: 50.8275, lon: 4.3721 }

beforeAll(async () => {
  t = await startApp()
  const zone = await aZone(t.db, { around: flagey })
  const elsewhere = await aZone(t.db, { around: { lat: 51.05, lon: 3.72 } })
  own = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId: zone.id }))
  other = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId: elsewhere.id }))
  const { payload, headers } = multipart(
    { report: JSON.stringify({ category: 'vandalism', description: 'Graffiti on the wall', location: flagey, anonymous: true, language: 'en' }) },
    [{ filename: 'wall.jpg', type: 'image/jpeg', data: fixture('gps_DSCN0010.jpg') }],
  )
  const filed = await t.app.inject({ method: 'POST', url: '/api/reports', payload, headers })
  expect(filed.statusCode, filed.body).toBe(201)
  reference = filed.json().reference
})
afterAll(() => t.close())

describe('the photos of a report, for staff', () => {
  it("lists the report's photos and the detected language in the staff view", async () => {
    const res = await t.app.inject({ url: `/api/staff/reports/${reference}`, headers: { cookie: own.cookie } })

    expect(res.statusCode, res.body).toBe(200)
    const detail = res.json()
    expect(detail.photos).toHaveLength(1)
    expect(detail.photos[0]).toMatchObject({ updateId: null, url: expect.stringMatching(/^\/api\/photos\/[0-9a-f-]+\/full$/) })
    expect(detail).toHaveProperty('detectedLanguage')
  })

  it('serves a photo to an officer of the report\'s zone with the session cookie', async () => {
    const detail = (await t.app.inject({ url: `/api/staff/reports/${reference}`, headers: { cookie: own.cookie } })).json()

    const full = await t.app.inject({ url: detail.photos[0].url, headers: { cookie: own.cookie } })
    const thumb = await t.app.inject({ url: detail.photos[0].thumbUrl, headers: { cookie: own.cookie } })

    expect(full.statusCode).toBe(200)
    expect(full.headers['content-type']).toBe('image/webp')
    expect(thumb.statusCode).toBe(200)
  })

  it('answers 404 to an officer of another zone, as if the photo did not exist', async () => {
    const detail = (await t.app.inject({ url: `/api/staff/reports/${reference}`, headers: { cookie: own.cookie } })).json()

    const res = await t.app.inject({ url: detail.photos[0].url, headers: { cookie: other.cookie } })

    expect(res.statusCode).toBe(404)
  })

  it('answers 401 without a session or token', async () => {
    const detail = (await t.app.inject({ url: `/api/staff/reports/${reference}`, headers: { cookie: own.cookie } })).json()

    const res = await t.app.inject({ url: detail.photos[0].url })

    expect(res.statusCode).toBe(401)
  })
})
