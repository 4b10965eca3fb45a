import { and, eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { events, photos, reports, reportUpdates } from '../../../server/src/db/schema.js'
import { issueResidentToken, residentTokenLifetimeMs, verifyResidentToken } from '../../../server/src/modules/reports/resident-token.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { fixture, multipart } from '../photos/fixtures.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

const report = { category: 'unsafe_place', description: 'The underpass has no light since a week', location: { lat: 50.8382, lon: 4.3764 }, anonymous: true, language: 'nl' }

async function fileReport() {
  const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: report })
  const { reference, receiptCode } = res.json()
  const [row] = await t.db.select().from(reports).where(eq(reports.reference, reference))
  return { reference, receiptCode: receiptCode as string, id: row!.id }
}

// Receipt sessions are rate limited per address: each test's residents come from their own address.
let lastHost = 0
const anAddress = () => `10.0.${Math.floor(++lastHost / 250)}.${(lastHost % 250) + 1}`

async function sessionFor(code: string, remoteAddress = anAddress()) {
  return t.app.inject({ method: 'POST', url: '/api/receipt/session', payload: { code }, remoteAddress })
}

async function tokenFor(code: string) {
  return (await sessionFor(code)).json().token as string
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('POST /api/receipt/session', () => {
  it('exchanges a receipt code for a short-lived bearer token, without a cookie', async () => {
    const filed = await fileReport()
    const res = await sessionFor(filed.receiptCode.replace(/ /g, '-'))

    expect(res.statusCode).toBe(200)
    const { token, expiresAt, reference } = res.json()
    expect(reference).toBe(filed.reference)
    expect(verifyResidentToken(t.config, token)).toBe(filed.id)
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(residentTokenLifetimeMs)
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it.each([
    ['a wrong code', '1234 5678 9012 3456'],
    ['a code with too few digits', '1234 5678 9012 345'],
    ['letters', 'abcd efgh ijkl mnop'],
  ])('refuses %s with a translated message', async (_name, code) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/receipt/session?lang=fr', payload: { code }, remoteAddress: '192.0.2.1' })

    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ code: 'RECEIPT_INVALID', message: fr.errors.RECEIPT_INVALID })
  })

  it('limits guessing per client address', async () => {
    const filed = await fileReport()
    const attempts = []
    for (let i = 0; i < 12; i++) attempts.push(await sessionFor(`0000 0000 0000 ${String(i).padStart(4, '0')}`, '198.51.100.9'))

    expect(attempts.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(401))
    expect(attempts[10]!.statusCode).toBe(429)
    expect(attempts[10]!.json().code).toBe('RATE_LIMITED')
    // Even the right code waits now; another address is not affected.
    expect((await sessionFor(filed.receiptCode, '198.51.100.9')).statusCode).toBe(429)
    expect((await sessionFor(filed.receiptCode, '198.51.100.10')).statusCode).toBe(200)
  })
})

describe('resident tokens', () => {
  it('refuse a forged, altered or expired token', async () => {
    const { token } = issueResidentToken(t.config, 41)
    const [head, id, expiry, sig] = token.split('.')

    expect(verifyResidentToken(t.config, token)).toBe(41)
    expect(verifyResidentToken(t.config, [head, '42', expiry, sig].join('.'))).toBeNull()
    expect(verifyResidentToken(t.config, [head, id, String(Number(expiry) + 3600), sig].join('.'))).toBeNull()
    expect(verifyResidentToken({ ...t.config, sessionSecret: 'another-secret-0123456789abcdef0123456789' }, token)).toBeNull()
    expect(verifyResidentToken(t.config, issueResidentToken(t.config, 41, Date.now() - residentTokenLifetimeMs - 1000).token)).toBeNull()
    expect(verifyResidentToken(t.config, 'garbage')).toBeNull()
  })

  it('are required by the follow-up API', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/followup' })).json().code).toBe('RESIDENT_TOKEN_INVALID')
    const res = await t.app.inject({ method: 'GET', url: '/api/followup?lang=fr', headers: bearer('r1.1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ code: 'RESIDENT_TOKEN_INVALID', message: fr.errors.RESIDENT_TOKEN_INVALID })
  })
})

describe('GET /api/followup', () => {
  it("shows the report's status and its public and reporter updates in the reader's language, never internal notes", async () => {
    const filed = await fileReport()
    await t.db.update(reports).set({ status: 'in_progress' }).where(eq(reports.id, filed.id))
    await t.db.insert(reportUpdates).values([
      { reportId: filed.id, author: 'staff', visibility: 'public', kind: 'canned', cannedKey: 'investigating' },
      { reportId: filed.id, author: 'staff', visibility: 'internal', kind: 'message', text: 'Internal: neighbour at nr 12 is a suspect', language: 'nl' },
      { reportId: filed.id, author: 'staff', visibility: 'reporter', kind: 'question', text: 'Sinds wanneer is het licht kapot?', language: 'nl', translations: { fr: 'Depuis quand la lumière est-elle cassée ?' } },
      { reportId: filed.id, author: 'staff', visibility: 'reporter', kind: 'message', text: 'Merci pour votre patience.', language: 'fr' },
    ])
    const token = await tokenFor(filed.receiptCode)

    const res = await t.app.inject({ method: 'GET', url: '/api/followup?lang=fr', headers: bearer(token) })

    expect(res.statusCode).toBe(200)
    const view = res.json()
    expect(view).toMatchObject({ reference: filed.reference, category: 'unsafe_place', categoryLabel: fr.category.unsafe_place.label, status: 'in_progress', statusLabel: fr.status.in_progress, anonymous: true, description: report.description, photos: [] })
    expect(new Date(view.filedAt).getUTCMinutes()).toBe(0)
    expect(view.timeline).toEqual([
      expect.objectContaining({ author: 'staff', kind: 'canned', visibility: 'public', cannedKey: 'investigating', text: fr.update.investigating, language: 'fr' }),
      expect.objectContaining({ author: 'staff', kind: 'question', visibility: 'reporter', text: 'Depuis quand la lumière est-elle cassée ?', language: 'fr', original: { text: 'Sinds wanneer is het licht kapot?', language: 'nl' } }),
      expect.objectContaining({ kind: 'message', text: 'Merci pour votre patience.', language: 'fr' }),
    ])
    expect(view.timeline.every((item: { at: string }) => item.at.endsWith(':00:00.000Z'))).toBe(true)
    expect(res.body).not.toContain('suspect')
  })

  it('shows free text in its own language when no translation exists', async () => {
    const filed = await fileReport()
    await t.db.insert(reportUpdates).values({ reportId: filed.id, author: 'staff', visibility: 'public', kind: 'message', text: 'We komen morgen kijken.', language: 'nl' })

    const res = await t.app.inject({ method: 'GET', url: '/api/followup?lang=en', headers: bearer(await tokenFor(filed.receiptCode)) })

    expect(res.json().timeline).toEqual([expect.objectContaining({ text: 'We komen morgen kijken.', language: 'nl' })])
    expect(res.json().timeline[0].original).toBeUndefined()
  })
})

describe('POST /api/followup/replies', () => {
  it('adds a message for the officers, held for moderation, without changing a waiting status', async () => {
    const filed = await fileReport()
    await t.db.update(reports).set({ status: 'waiting_for_reporter' }).where(eq(reports.id, filed.id))
    const token = await tokenFor(filed.receiptCode)

    const res = await t.app.inject({ method: 'POST', url: '/api/followup/replies?lang=nl', headers: bearer(token), payload: { text: 'Sinds vorige maandag.' } })

    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ author: 'reporter', kind: 'message', visibility: 'reporter', text: 'Sinds vorige maandag.', language: 'nl', photos: [] })
    const [update] = await t.db.select().from(reportUpdates).where(eq(reportUpdates.reportId, filed.id))
    expect(update).toMatchObject({ author: 'reporter', visibility: 'reporter', kind: 'message', moderationState: 'pending', staffId: null })
    const [row] = await t.db.select().from(reports).where(eq(reports.id, filed.id))
    expect(row!.status).toBe('waiting_for_reporter')
    const replied = await t.db.select().from(events).where(and(eq(events.reportId, filed.id), eq(events.type, 'report.reporter_replied')))
    expect(replied).toHaveLength(1)
    expect(replied[0]!.payload).toEqual({ updateId: update!.id })
  })

  it('takes a reply with a photo, which only its reporter can then fetch', async () => {
    const filed = await fileReport()
    const other = await fileReport()
    const token = await tokenFor(filed.receiptCode)
    const { payload, headers } = multipart({ reply: JSON.stringify({ text: 'Here is the broken lamp.', language: 'en' }) }, [
      { filename: 'lamp.jpg', type: 'image/jpeg', data: fixture('gps_DSCN0010.jpg') },
    ])

    const res = await t.app.inject({ method: 'POST', url: '/api/followup/replies', payload, headers: { ...headers, ...bearer(token) } })

    expect(res.statusCode).toBe(201)
    const item = res.json()
    expect(item.photos).toHaveLength(1)
    const [photo] = await t.db.select().from(photos).where(eq(photos.id, item.photos[0].id))
    expect(photo).toMatchObject({ reportId: filed.id, updateId: item.id })

    const view = (await t.app.inject({ method: 'GET', url: '/api/followup', headers: bearer(token) })).json()
    expect(view.timeline.at(-1)).toEqual(item)
    expect(view.photos).toEqual([])

    const thumb = await t.app.inject({ method: 'GET', url: item.photos[0].thumbUrl, headers: bearer(token) })
    expect(thumb.statusCode).toBe(200)
    expect(thumb.headers['content-type']).toBe('image/webp')
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: item.photos[0].url, headers: bearer(token) })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: item.photos[0].url })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: item.photos[0].url, headers: bearer(await tokenFor(other.receiptCode)) })).statusCode).toBe(404)
  })

  it('takes photos without text', async () => {
    const filed = await fileReport()
    const { payload, headers } = multipart({}, [{ filename: 'a.heic', type: 'image/heic', data: fixture('samplefilehub.heif') }])

    const res = await t.app.inject({ method: 'POST', url: '/api/followup/replies', payload, headers: { ...headers, ...bearer(await tokenFor(filed.receiptCode)) } })

    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ text: null, photos: [expect.objectContaining({ width: 640, height: 426 })] })
  })

  it('does not serve a photo attached to an internal note', async () => {
    const filed = await fileReport()
    const token = await tokenFor(filed.receiptCode)
    const { payload, headers } = multipart({ reply: '{"text":"photo"}' }, [{ filename: 'a.jpg', type: 'image/jpeg', data: fixture('gps_DSCN0010.jpg') }])
    const item = (await t.app.inject({ method: 'POST', url: '/api/followup/replies', payload, headers: { ...headers, ...bearer(token) } })).json()
    const [note] = await t.db.insert(reportUpdates).values({ reportId: filed.id, author: 'staff', visibility: 'internal', kind: 'message', text: 'note', language: 'nl' }).returning()
    await t.db.update(photos).set({ updateId: note!.id }).where(eq(photos.id, item.photos[0].id))

    expect((await t.app.inject({ method: 'GET', url: item.photos[0].url, headers: bearer(token) })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: '/api/followup', headers: bearer(token) })).json().timeline.flatMap((i: { photos: unknown[] }) => i.photos)).toEqual([])
  })

  it.each([
    ['an empty reply', { }, 400, 'VALIDATION_FAILED'],
    ['a blank reply', { text: '   ' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s', async (_name, payload, status, code) => {
    const filed = await fileReport()
    const res = await t.app.inject({ method: 'POST', url: '/api/followup/replies', payload, headers: bearer(await tokenFor(filed.receiptCode)) })

    expect(res.statusCode).toBe(status)
    expect(res.json().code).toBe(code)
    expect(await t.db.select().from(reportUpdates).where(eq(reportUpdates.reportId, filed.id))).toEqual([])
  })

  it('refuses a reply with a corrupt photo and stores nothing of it', async () => {
    const filed = await fileReport()
    const { payload, headers } = multipart({ reply: '{"text":"see photo"}' }, [{ filename: 'x.jpg', type: 'image/jpeg', data: fixture('corrupted.jpg') }])

    const res = await t.app.inject({ method: 'POST', url: '/api/followup/replies', payload, headers: { ...headers, ...bearer(await tokenFor(filed.receiptCode)) } })

    expect(res.statusCode).toBe(422)
    expect(res.json().code).toBe('PHOTO_UNREADABLE')
    expect(await t.db.select().from(reportUpdates).where(eq(reportUpdates.reportId, filed.id))).toEqual([])
    expect(await t.db.select().from(photos).where(eq(photos.reportId, filed.id))).toEqual([])
  })
})
