import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aStaff, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { markPage, pageWasNotReloaded } from './helpers/resident.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { fileReport, logIn, messagesOf, residentReplies } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
let officer: TestStaff

beforeAll(async () => {
  server = await startServer()
  const [flagey] = await seedQuartiers(server.db, ['Flagey - malibran'])
  officer = await aStaff(server.db, { role: 'officer', zoneId: flagey!.id, language: 'en', displayName: 'Officer Sara Peeters' })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('an officer working the inbox', () => {
  it('sees a new report arrive live, acknowledges it, sends a canned update and a question, and reads the answer as it arrives', async () => {
    const en = await messagesOf('en')
    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'en-GB' })
    const page = await context.newPage()

    await logIn(page, officer, en)
    await page.waitForURL(/\/staff\/inbox$/)
    await page.locator('.staff-bar__live--live').waitFor()
    await expectAccessible(page, 'inbox (empty)')
    await markPage(page)

    const { reference, receiptCode } = await fileReport(server, { category: 'vandalism', description: 'Graffiti op de muur van de bibliotheek.', language: 'nl' })
    const row = page.locator('tbody tr', { hasText: reference })
    await row.waitFor({ timeout: 30_000 })
    await row.locator('.inbox__new').waitFor()
    await page.locator('.staff-badge').waitFor()
    expect(await pageWasNotReloaded(page)).toBe(true)
    await expectAccessible(page, 'inbox with a new report')
    await screenshot(page, 'staff-inbox-en')

    await page.keyboard.press('j')
    await expect.poll(() => page.locator(':focus').innerText()).toBe(reference)
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`/staff/reports/${reference}$`))
    await page.locator('.staff-report__description').waitFor()
    expect(await page.locator('.staff-report__description').getAttribute('lang')).toBe('nl')
    await expectAccessible(page, 'report page')
    await screenshot(page, 'staff-report-en')

    await page.getByRole('button', { name: en.ui.staff.status_actions.to_acknowledged }).click()
    await page.locator('.staff-report__facts .status-badge', { hasText: en.ui.staff.status.acknowledged }).waitFor()

    await page.getByLabel(en.ui.staff.composer.canned_label, { exact: true }).selectOption('patrols_increased')
    await page.locator('.composer__preview-text[lang="nl"]').waitFor()
    await page.getByRole('button', { name: en.ui.staff.composer.submit_canned }).click()
    await page.locator('.staff-timeline__text', { hasText: en.update.patrols_increased }).waitFor()

    await page.getByLabel(en.ui.staff.composer.kind_question, { exact: true }).check()
    await page.getByLabel(en.ui.staff.composer.text_label_question, { exact: true }).fill('Since when is the graffiti there?')
    await page.getByRole('button', { name: en.ui.staff.composer.submit_question }).click()
    await page.locator('.staff-timeline__text', { hasText: 'Since when is the graffiti there?' }).waitFor()
    await page.locator('.staff-report__facts .status-badge', { hasText: en.ui.staff.status.waiting_for_reporter }).waitFor()

    await residentReplies(server, receiptCode, 'Sinds gisteravond, rond 22 uur.')
    await page.locator('.staff-timeline__item--reporter .staff-timeline__text', { hasText: 'Sinds gisteravond' }).waitFor({ timeout: 30_000 })
    expect(await pageWasNotReloaded(page)).toBe(true)
    await expectAccessible(page, 'report page after the answer')
    await screenshot(page, 'staff-report-answered-en')

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
