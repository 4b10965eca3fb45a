import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import de from '../../../shared/src/locales/de.json' with { type: 'json' }
import en from '../../../shared/src/locales/en.json' with { type: 'json' }
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { cannedUpdateKeys } from '../../../shared/src/domain/canned-updates.js'
import { languageCodes } from '../../../shared/src/domain/languages.js'
import { buildApp } from '../../../server/src/app.js'
import { reportUpdates } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { loginAs } from '../helpers/factories.js'
import { aBeat, bearer, eventsOf, fileReport, reportRow, type Beat } from '../workflow/fixtures.js'

let t: TestApp
let beat: Beat
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
})
afterAll(() => t.close())

const post = (reference: string, payload: object, lang = 'en') =>
  t.app.inject({ method: 'POST', url: `/api/staff/reports/${reference}/updates?lang=${lang}`, headers: beat.login.headers, payload })
const followUp = async (token: string, lang: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/followup?lang=${lang}`, headers: bearer(token) })).json()

describe('canned updates', () => {
  it('has every canned update in all ten languages', async () => {
    for (const code of languageCodes) {
      const locale = (await import(`../../../shared/src/locales/${code}.json`, { with: { type: 'json' } })).default as { update: Record<string, string> }
      for (const key of cannedUpdateKeys) expect(locale.update[key], `${code}: update.${key}`).toBeTruthy()
    }
  })

  it('reaches the reporter in the reporter’s language whatever the officer’s', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    const res = await post(filed.reference, { cannedKey: 'patrols_increased', visibility: 'public' })

    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ kind: 'canned', cannedKey: 'patrols_increased', visibility: 'public', staffId: beat.officer.id, staffName: beat.officer.displayName })
    const inFrench = await followUp(filed.token, 'fr')
    expect(inFrench.timeline.at(-1)).toMatchObject({ kind: 'canned', text: fr.update.patrols_increased, language: 'fr' })
    expect(JSON.stringify(inFrench)).not.toContain(beat.officer.displayName)
    const inGerman = await followUp(filed.token, 'de')
    expect(inGerman.timeline.at(-1).text).toBe(de.update.patrols_increased)
  })
})

describe('visibility', () => {
  it('never shows an internal note to the reporter and does not count it as an answer', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    const res = await post(filed.reference, { text: 'Known address, check with the youth worker first.', language: 'en', visibility: 'internal' })

    expect(res.statusCode).toBe(201)
    const view = await followUp(filed.token, 'en')
    expect(JSON.stringify(view)).not.toContain('youth worker')
    expect((await reportRow(t.db, filed.reference)).firstPublicAnswerAt).toBeNull()
    const staff = (await t.app.inject({ method: 'GET', url: `/api/staff/reports/${filed.reference}/updates`, headers: beat.login.headers })).json()
    expect(staff.items.at(-1)).toMatchObject({ visibility: 'internal', text: 'Known address, check with the youth worker first.', staffName: beat.officer.displayName })
  })

  it('counts the first update the reporter can read as the first answer', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    await post(filed.reference, { cannedKey: 'received', visibility: 'reporter' })

    expect((await reportRow(t.db, filed.reference)).firstPublicAnswerAt).not.toBeNull()
  })

  it('refuses an update that is both canned and free text', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    const res = await post(filed.reference, { cannedKey: 'thanks', text: 'And more', language: 'en', visibility: 'public' })

    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('VALIDATION_FAILED')
    expect(await t.db.select().from(reportUpdates).where(eq(reportUpdates.reportId, filed.report.id))).toHaveLength(0)
  })
})

describe('free text and translations', () => {
  it('shows free text in its language with the officer’s translation where one exists', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const original = 'We hebben de eigenaar van het pand gesproken.'
    const french = 'Nous avons parlé au propriétaire du bâtiment.'

    const res = await post(filed.reference, { text: original, language: 'nl', translations: { fr: french, nl: 'ignored: same language' }, visibility: 'reporter' })

    expect(res.json().translations).toEqual({ fr: french })
    expect((await followUp(filed.token, 'fr')).timeline.at(-1)).toMatchObject({ text: french, language: 'fr', original: { text: original, language: 'nl' } })
    const german = (await followUp(filed.token, 'de')).timeline.at(-1)
    expect(german).toMatchObject({ text: original, language: 'nl' })
    expect(german.original).toBeUndefined()
  })

  it('adds translations later and announces the edited entry', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const posted = (await post(filed.reference, { text: 'We patrol the square tonight.', language: 'en', visibility: 'public' })).json()

    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/staff/reports/${filed.reference}/updates/${posted.id}/translations`,
      headers: beat.login.headers,
      payload: { translations: { de: 'Wir bestreifen heute Abend den Platz.' } },
    })

    expect(res.statusCode).toBe(200)
    expect(res.json().translations).toEqual({ de: 'Wir bestreifen heute Abend den Platz.' })
    expect((await followUp(filed.token, 'de')).timeline.at(-1).text).toBe('Wir bestreifen heute Abend den Platz.')
    const last = (await eventsOf(t.db, filed.report.id)).at(-1)!
    expect(last).toMatchObject({ type: 'report.update_posted', payload: { edited: true, update: { id: posted.id } } })
  })
})

describe('questions to the reporter', () => {
  it('asks the reporter and sets a new report waiting for the answer, through "acknowledged"', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    const res = await post(filed.reference, { text: 'At what time does the music start?', language: 'en', visibility: 'reporter', question: true, waitForReporter: true })

    expect(res.statusCode).toBe(201)
    expect(res.json().kind).toBe('question')
    const row = await reportRow(t.db, filed.reference)
    expect(row.status).toBe('waiting_for_reporter')
    expect(row.acknowledgedAt).not.toBeNull()
    const changes = (await eventsOf(t.db, filed.report.id)).filter((e) => e.type === 'report.status_changed').map((e) => e.payload.to)
    expect(changes).toEqual(['acknowledged', 'waiting_for_reporter'])
    expect((await followUp(filed.token, 'en')).timeline.some((i: { kind: string }) => i.kind === 'question')).toBe(true)
  })

  it('refuses a question anyone but the reporter could read', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    const res = await post(filed.reference, { cannedKey: 'more_information', visibility: 'public', question: true })

    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ code: 'QUESTION_VISIBILITY_INVALID', message: en.errors.QUESTION_VISIBILITY_INVALID })
  })
})

describe('suggested translations', () => {
  it('says so when no translation server is configured', async () => {
    const status = await t.app.inject({ method: 'GET', url: '/api/staff/translate', headers: beat.login.headers })
    const res = await t.app.inject({ method: 'POST', url: '/api/staff/translate?lang=fr', headers: beat.login.headers, payload: { text: 'Hello', from: 'en', to: ['fr'] } })

    expect(status.json()).toEqual({ available: false })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toEqual({ code: 'TRANSLATION_UNAVAILABLE', message: fr.errors.TRANSLATION_UNAVAILABLE })
  })

  it('asks a LibreTranslate-compatible server for each target language', async () => {
    const seen: unknown[] = []
    const libre: Server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => { body += chunk })
      req.on('end', () => {
        const asked = JSON.parse(body) as { q: string; source: string; target: string; format: string }
        seen.push({ path: req.url, ...asked })
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ translatedText: `[${asked.target}] ${asked.q}` }))
      })
    })
    await new Promise<void>((resolve) => libre.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(libre.address() as AddressInfo).port}`
    const app = await buildApp({ ...t.config, translateUrl: url }, t.database)
    try {
      const headers = (await loginAs(app, beat.officer)).headers

      const res = await app.inject({ method: 'POST', url: '/api/staff/translate', headers, payload: { text: 'We patrol tonight.', from: 'en', to: ['nl', 'en', 'ar'] } })

      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ translations: { nl: '[nl] We patrol tonight.', ar: '[ar] We patrol tonight.' } })
      expect(seen).toContainEqual({ path: '/translate', q: 'We patrol tonight.', source: 'en', target: 'nl', format: 'text' })
      expect((await app.inject({ method: 'GET', url: '/api/staff/translate', headers })).json()).toEqual({ available: true })
    } finally {
      await app.close()
      await new Promise((resolve) => libre.close(resolve))
    }
  })
})
