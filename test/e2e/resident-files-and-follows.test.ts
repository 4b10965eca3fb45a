import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reports } from '../../server/src/db/schema.js'
import { aStaff, loginAs, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { atStep, fixturePhoto, flagey, htmlLangDir, markPage, next, pageWasNotReloaded, receiptCode, stored } from './helpers/resident.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'

let server: E2eServer
let browser: Browser
let officer: TestStaff

beforeAll(async () => {
  server = await startServer()
  const zones = await seedQuartiers(server.db, ['Flagey - malibran', 'Matonge', 'Chatelain'])
  officer = await aStaff(server.db, { role: 'officer', zoneId: zones.find((z) => z.name.startsWith('Flagey'))!.id })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** The officer answers through the API, as the officer's page would. */
async function officerPostsUpdate(reference: string): Promise<void> {
  const login = await loginAs(server.app, officer)
  const res = await server.app.inject({
    method: 'POST',
    url: `/api/staff/reports/${reference}/updates`,
    headers: login.headers,
    payload: { cannedKey: 'patrols_increased', visibility: 'public' },
  })
  expect(res.statusCode, res.body).toBe(201)
}

describe.each([
  { language: 'nl', locale: 'nl-BE', dir: 'ltr' },
  { language: 'ar', locale: 'ar', dir: 'rtl' },
])('a resident using the $language interface', ({ language, locale, dir }) => {
  it('files an anonymous report with a GPS photo, keeps the receipt and sees the officer\'s answer arrive live', async () => {
    const { context, foreignRequests, pageErrors } = await newContext(browser, {
      baseURL: server.url,
      locale,
      geolocation: flagey,
      permissions: ['geolocation'],
    })
    const page = await context.newPage()
    const messages = (await import(`../../shared/src/locales/${language}.json`, { with: { type: 'json' } })).default

    await page.goto('/')
    await expect.poll(() => htmlLangDir(page)).toEqual([language, dir])
    await expect.poll(() => page.locator('h1').innerText()).toBe(messages.ui.home.title)
    await expectAccessible(page, `home (${language})`)
    await screenshot(page, `home-${language}`)

    await page.locator('main a[href="/report"]').first().click()
    await atStep(page, 'category')
    await page.locator('input[name="category"][value="vandalism"]').waitFor()
    await expectAccessible(page, `report: category (${language})`)
    await screenshot(page, `report-category-${language}`)
    await next(page)
    // Nothing chosen yet: the step says so and stays.
    await expect.poll(() => page.locator('#category-error').innerText()).toBe(messages.ui.report.category.required)
    await page.locator('input[name="category"][value="vandalism"]').check()
    await next(page)

    await atStep(page, 'location')
    await page.locator('.leaflet-container').waitFor()
    await page.getByRole('button', { name: messages.ui.report.location.device_button }).click()
    await expect.poll(() => page.locator('.location-way__status').innerText()).toBe(messages.ui.report.location.device_found)
    await expect.poll(() => page.locator('#zone').inputValue()).not.toBe('')
    await page.locator('.leaflet-marker-icon').waitFor()
    await expectAccessible(page, `report: location (${language})`)
    await screenshot(page, `report-location-${language}`)
    await next(page)

    await atStep(page, 'details')
    await page.locator('#description').fill('Graffiti op de gevel van de bibliotheek, sinds gisteravond.')
    await page.locator('input[type="file"]').setInputFiles(fixturePhoto('gps_DSCN0010.jpg'))
    await page.locator('.photo-picker__item img').waitFor()
    await expectAccessible(page, `report: details (${language})`)
    await screenshot(page, `report-details-${language}`)
    await next(page)

    await atStep(page, 'identity')
    await page.locator('input[name="identity"]').first().check()
    await expectAccessible(page, `report: identity (${language})`)
    await next(page)

    await atStep(page, 'review')
    await expectAccessible(page, `report: review (${language})`)
    await screenshot(page, `report-review-${language}`)
    await next(page)

    await page.waitForURL(/\/report\/receipt$/)
    const code = await receiptCode(page)
    await expectAccessible(page, `receipt (${language})`)
    await screenshot(page, `receipt-${language}`)

    const reference = (await page.locator('main p').first().innerText()).match(/NB-\d{4}-\d+/)?.[0]
    expect(reference).toBeDefined()
    const [row] = await server.db.select().from(reports).where(eq(reports.reference, reference!))
    expect(row?.anonymous).toBe(true)
    expect(row?.zoneId).not.toBeNull()
    expect(row?.language).toBe(language)

    // The "have you saved it?" step refuses wrong digits and accepts the last four.
    await page.getByRole('button', { name: messages.ui.receipt.saved_button }).click()
    await page.locator('#receipt-last-four').fill('0000' === code.slice(-4) ? '1111' : '0000')
    await page.getByRole('button', { name: messages.ui.receipt.check_button }).click()
    await page.locator('#receipt-check-error').waitFor()
    await page.locator('#receipt-last-four').fill(code.slice(-4))
    await page.getByRole('button', { name: messages.ui.receipt.check_button }).click()
    await page.getByRole('heading', { name: messages.ui.receipt.done_title }).waitFor()
    expect(await stored(page, 'nabij.receipt')).toBeNull()

    await page.locator('main').getByRole('link', { name: messages.ui.receipt.follow_link }).click()
    await page.waitForURL(/\/follow-up$/)
    await page.locator('#receipt-code').waitFor()
    expect(await page.locator('#receipt-code').inputValue()).toBe('')
    await expectAccessible(page, `follow-up: code (${language})`)
    await screenshot(page, `follow-up-code-${language}`)
    await page.locator('#receipt-code').fill(code.replace(/ /g, ''))
    await page.locator('main form button[type="submit"]').click()

    await expect.poll(() => page.locator('h1').innerText()).toContain(reference!)
    await page.locator('.status-badge', { hasText: messages.status.new }).waitFor()
    await expectAccessible(page, `follow-up: report (${language})`)
    await screenshot(page, `follow-up-report-${language}`)

    // The websocket is open (the page says so), so the answer comes over the live feed, not the polling fallback.
    await page.locator('.follow-up__live', { hasText: messages.ui.live.on }).waitFor()
    await markPage(page)
    const before = await page.locator('.timeline__item').count()
    await officerPostsUpdate(reference!)
    await page.locator('.timeline__text', { hasText: messages.update.patrols_increased }).waitFor({ timeout: 30_000 })
    expect(await page.locator('.timeline__item').count()).toBeGreaterThan(before)
    expect(await pageWasNotReloaded(page)).toBe(true)
    await screenshot(page, `follow-up-live-update-${language}`)

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
