import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '../../shared/src/locales/fr.json' with { type: 'json' }
import nl from '../../shared/src/locales/nl.json' with { type: 'json' }
import { aStaff, loginAs, type StaffLogin, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { markPage, pageWasNotReloaded } from './helpers/resident.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { fileReport, logIn } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
let officer: StaffLogin
let officerAccount: TestStaff

beforeAll(async () => {
  server = await startServer()
  const zones = await seedQuartiers(server.db, ['Flagey - malibran'])
  officerAccount = await aStaff(server.db, { role: 'officer', zoneId: zones[0]!.id })
  officer = await loginAs(server.app, officerAccount)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

async function openFollowUp(locale: string, receiptCode: string) {
  const tracked = await newContext(browser, { baseURL: server.url, locale })
  const page = await tracked.context.newPage()
  await page.goto('/follow-up')
  await page.locator('#receipt-code').fill(receiptCode)
  await page.locator('main form button[type="submit"]').click()
  await page.locator('.status-badge').waitFor()
  return { ...tracked, page }
}

describe('a resident whose report was closed', () => {
  it('reopens it with a reason and sees the timeline and status follow without a reload', async () => {
    const { reference, receiptCode } = await fileReport(server, { category: 'nuisance', description: 'Musique forte chaque nuit', language: 'fr' })
    const closed = await server.app.inject({
      method: 'POST', url: `/api/staff/reports/${reference}/status`, headers: officer.headers,
      payload: { status: 'closed', closeReason: 'resolved', answer: { cannedKey: 'patrols_increased' } },
    })
    expect(closed.statusCode, closed.body).toBe(200)

    const { context, page, foreignRequests, pageErrors } = await openFollowUp('fr-BE', receiptCode)
    await page.getByRole('heading', { name: fr.ui.follow_up.reopen_title }).waitFor()
    // Closed: no answer form, only the way back.
    expect(await page.getByRole('heading', { name: fr.ui.follow_up.add_title }).count()).toBe(0)
    await markPage(page)
    await page.getByRole('button', { name: fr.ui.follow_up.reopen_start }).click()
    await page.getByRole('button', { name: fr.ui.follow_up.reopen_send }).click()
    await page.getByText(fr.ui.follow_up.reopen_reason_required).waitFor()
    await expectAccessible(page, 'follow-up, reopening')
    await page.getByLabel(fr.ui.follow_up.reopen_reason_label).fill('La musique a repris hier soir, vers 23 heures.')
    await page.getByRole('button', { name: fr.ui.follow_up.reopen_send }).click()

    await page.locator('.timeline__item--reporter', { hasText: 'La musique a repris hier soir' }).waitFor({ timeout: 30_000 })
    await page.locator('.status-badge', { hasText: fr.status.in_progress }).waitFor()
    await page.getByText(fr.ui.follow_up.reopen_done).waitFor()
    expect(await page.getByRole('heading', { name: fr.ui.follow_up.reopen_title }).count()).toBe(0)
    await page.getByRole('heading', { name: fr.ui.follow_up.add_title }).waitFor()
    expect(await pageWasNotReloaded(page)).toBe(true)
    await expectAccessible(page, 'follow-up after reopening')
    await screenshot(page, 'follow-up-reopened-fr')

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})

describe('a resident who erases their report', () => {
  it('deletes it from the page after a second yes, then reads what was deleted and when, instead of dashes', async () => {
    const { reference, receiptCode } = await fileReport(server, { category: 'nuisance', description: 'Luide muziek elke nacht', language: 'nl', address: 'Kerkstraat 14' })

    const { context, page, foreignRequests, pageErrors } = await openFollowUp('nl-BE', receiptCode)
    await page.getByRole('heading', { name: nl.ui.follow_up.erase_title }).waitFor()
    await page.getByRole('button', { name: nl.ui.follow_up.erase_start }).click()
    await page.getByText(nl.ui.follow_up.erase_confirm).waitFor()
    await page.getByRole('button', { name: nl.ui.follow_up.erase_yes }).click()
    await page.getByRole('status').filter({ hasText: nl.ui.follow_up.erase_done }).waitFor()
    // Done once: the offer is gone.
    expect(await page.getByRole('heading', { name: nl.ui.follow_up.erase_title }).count()).toBe(0)

    // The server holds the words no more.
    const session = await server.app.inject({ method: 'POST', url: '/api/receipt/session', payload: { code: receiptCode } })
    const view = await server.app.inject({ method: 'GET', url: '/api/followup', headers: { authorization: `Bearer ${session.json().token}` } })
    expect(view.body).not.toContain('Luide muziek')
    expect(view.body).not.toContain('Kerkstraat')
    const day = new Intl.DateTimeFormat('nl-BE', { dateStyle: 'long' }).format(new Date(view.json().erased[0].at))

    await page.getByText(nl.ui.follow_up.your_report).click()
    await page.getByText(nl.ui.follow_up.erased_content_request.replace('{{date}}', day)).waitFor()
    await page.locator('.timeline__item', { hasText: nl.ui.timeline.erased_content_request }).waitFor()
    expect(await page.locator('main').innerText()).not.toContain('—')
    await expectAccessible(page, 'follow-up of an erased report')
    await screenshot(page, 'follow-up-erased-nl')

    // Their officer reads the same, in words, where the description was.
    const staffPage = await context.newPage()
    await logIn(staffPage, officerAccount, nl)
    await staffPage.goto(`/staff/reports/${reference}`)
    await staffPage.locator('.staff-report__erased', { hasText: nl.ui.staff.report.erased_content.split('{{date}}')[0]!.trim() }).waitFor()
    expect(await staffPage.locator('.staff-report__description').count()).toBe(0)

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
