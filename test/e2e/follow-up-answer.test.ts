import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStaff, loginAs, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { fixturePhoto, markPage, pageWasNotReloaded, stored } from './helpers/resident.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'

let server: E2eServer
let browser: Browser
let officer: TestStaff
let reference: string
let receiptCode: string

beforeAll(async () => {
  server = await startServer()
  const zones = await seedQuartiers(server.db, ['Flagey - malibran'])
  officer = await aStaff(server.db, { role: 'officer', zoneId: zones[0]!.id })
  const filed = await server.app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: { category: 'nuisance', description: 'Loud music every night from the empty shop', location: { lat: 50.8275, lon: 4.3721 }, anonymous: true, language: 'de' },
  })
  expect(filed.statusCode, filed.body).toBe(201)
  ;({ reference, receiptCode } = filed.json())
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const de = (await import('../../shared/src/locales/de.json', { with: { type: 'json' } })).default

describe('a resident following a report', () => {
  it('sees the officer\'s question arrive live and answers it with a HEIC photo from a phone', async () => {
    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'de-DE' })
    const page = await context.newPage()
    await page.goto('/follow-up')
    await page.locator('#receipt-code').fill(receiptCode)
    await page.locator('main form button[type="submit"]').click()
    await page.locator('.status-badge').waitFor()
    await markPage(page)

    const login = await loginAs(server.app, officer)
    const asked = await server.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${reference}/updates`,
      headers: login.headers,
      payload: { text: 'Um welche Uhrzeit beginnt die Musik?', language: 'de', visibility: 'reporter', question: true, waitForReporter: true },
    })
    expect(asked.statusCode, asked.body).toBe(201)

    await page.locator('.timeline__text', { hasText: 'Um welche Uhrzeit beginnt die Musik?' }).waitFor({ timeout: 30_000 })
    await page.locator('.status-badge', { hasText: de.status.waiting_for_reporter }).waitFor({ timeout: 30_000 })
    await page.getByRole('heading', { name: de.ui.follow_up.answer_title }).waitFor()
    expect(await pageWasNotReloaded(page)).toBe(true)
    await expectAccessible(page, 'follow-up with a question waiting')
    await screenshot(page, 'follow-up-question-de')

    await page.getByLabel(de.ui.follow_up.answer_label).fill('Meistens ab 23 Uhr, bis etwa 3 Uhr.')
    await page.locator('input[type="file"]').setInputFiles(fixturePhoto('mobile_iphone_13_pro_max.HEIC'))
    await page.locator('.photo-picker__placeholder').waitFor()
    await page.getByRole('button', { name: de.ui.follow_up.answer_send }).click()

    const reply = page.locator('.timeline__item--reporter', { hasText: 'Meistens ab 23 Uhr' })
    await reply.waitFor({ timeout: 60_000 })
    // The server decoded the HEIC; the reporter sees its WebP thumbnail, fetched with their token.
    await expect.poll(() => reply.locator('img').getAttribute('src'), { timeout: 30_000 }).toMatch(/^blob:/)
    await expect.poll(() => reply.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0)
    await expectAccessible(page, 'follow-up after answering')
    await screenshot(page, 'follow-up-answered-de')

    // The token lives in this tab only; the receipt code was never stored.
    expect(await stored(page, 'nabij.receipt')).toBeNull()
    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
