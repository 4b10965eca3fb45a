import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reports } from '../../server/src/db/schema.js'
import { openStatuses } from '../../shared/src/domain/statuses.js'
import { aStaff, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { markPage, pageWasNotReloaded } from './helpers/resident.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { fileReport, fileReportWithPhotos, logIn, messagesOf, residentReplies } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
let officer: TestStaff
let colleague: TestStaff
let late: string
let zoneId: number

beforeAll(async () => {
  server = await startServer()
  const [flagey] = await seedQuartiers(server.db, ['Flagey - malibran'])
  zoneId = flagey!.id
  officer = await aStaff(server.db, { role: 'officer', zoneId: flagey!.id, language: 'en', displayName: 'Officer Sara Peeters' })
  colleague = await aStaff(server.db, { role: 'officer', zoneId: flagey!.id, language: 'en', displayName: 'Officer Tom Maes' })
  // A report filed four days ago and never answered: past the promised 72 hours.
  late = (await fileReport(server, { category: 'traffic', description: 'Cars speed through the school street every morning.', language: 'en' })).reference
  await server.db.update(reports).set({ createdAt: new Date(Date.now() - 96 * 3_600_000) }).where(eq(reports.reference, late))
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('an officer working the inbox', () => {
  it('sees a new report arrive live, sorts, filters and walks the queue by keyboard, acknowledges it, sends a canned update and a question, reads the answer as it arrives, notes, sets a due date, reassigns and finds a report by its reference', async () => {
    const en = await messagesOf('en')
    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'en-GB' })
    // Counts the oscillators the page starts: the chime for a new report is two synthesised tones.
    await context.addInitScript(() => {
      const w = globalThis as unknown as { chimeTones: number; AudioContext: { prototype: { createOscillator(): unknown } } }
      w.chimeTones = 0
      const create = w.AudioContext.prototype.createOscillator
      w.AudioContext.prototype.createOscillator = function (this: unknown) {
        w.chimeTones++
        return create.call(this)
      }
    })
    const chimeTones = () => page.evaluate(() => (globalThis as unknown as { chimeTones: number }).chimeTones)
    const page = await context.newPage()

    await logIn(page, officer, en)
    await page.waitForURL(/\/staff\/inbox$/)
    await page.locator('.staff-bar__live--live').waitFor()
    await page.getByLabel(en.ui.staff.inbox.sound).check()
    // The late report stands out: a word and a symbol besides the colour of its row.
    await page.locator('tbody tr', { hasText: late }).locator('.overdue--overdue', { hasText: en.ui.staff.overdue.overdue }).waitFor()
    await expectAccessible(page, 'inbox')
    await markPage(page)

    const { reference, receiptCode } = await fileReportWithPhotos(server, { category: 'vandalism', description: 'Graffiti op de muur van de bibliotheek.', language: 'nl' }, ['orientation_landscape_6.jpg'])
    const row = page.locator('tbody tr', { hasText: reference })
    await row.waitFor({ timeout: 30_000 })
    await row.locator('.inbox__new').waitFor()
    await page.locator('.staff-badge').waitFor()
    await expect.poll(chimeTones).toBe(2)
    expect(await pageWasNotReloaded(page)).toBe(true)
    await expectAccessible(page, 'inbox with a new report')
    await screenshot(page, 'staff-inbox-en')

    // Sorting and filters are in the address and apply to the whole queue.
    const references = () => page.locator('tbody a.inbox__ref').allInnerTexts()
    await expect.poll(references).toEqual([late, reference])
    await page.getByLabel(en.ui.staff.inbox.sort, { exact: true }).selectOption('newest')
    await page.waitForURL(/sort=newest/)
    await expect.poll(references).toEqual([reference, late])
    await page.getByLabel(en.ui.staff.inbox.only_overdue).check()
    await expect.poll(references).toEqual([late])
    await page.getByRole('button', { name: en.ui.staff.inbox.clear }).click()
    await page.getByLabel(en.ui.staff.inbox.category, { exact: true }).selectOption('vandalism')
    await expect.poll(references).toEqual([reference])
    await page.getByRole('button', { name: en.ui.staff.inbox.clear }).click()
    await expect.poll(references).toEqual([late, reference])
    await page.getByLabel(en.ui.staff.inbox.zone, { exact: true }).selectOption(String(zoneId))
    await page.waitForURL(new RegExp(`zone=${zoneId}`))
    await expect.poll(references).toEqual([late, reference])
    // Both reports are still new: without that status the queue is empty.
    const statusBox = (status: string) => page.getByLabel(en.ui.staff.status[status as keyof typeof en.ui.staff.status], { exact: true })
    await statusBox('new').uncheck()
    await expect.poll(references).toEqual([])
    await statusBox('new').check()
    await expect.poll(references).toEqual([late, reference])
    // The last ticked status cannot be unticked: the box keeps its tick, matching the filter still applied.
    for (const status of openStatuses.filter((s) => s !== 'new')) await statusBox(status).uncheck()
    await page.waitForURL(/status=new(&|$)/)
    await statusBox('new').click()
    expect(await statusBox('new').isChecked()).toBe(true)
    await expect.poll(references).toEqual([late, reference])
    await page.getByRole('button', { name: en.ui.staff.inbox.clear }).click()
    await expect.poll(references).toEqual([late, reference])

    // The shortcuts are listed on "?"; j walks down the queue, Enter opens.
    await page.keyboard.press('?')
    const shortcuts = page.getByRole('dialog', { name: en.ui.staff.shortcuts.title })
    await shortcuts.getByText(en.ui.staff.shortcuts.next, { exact: true }).waitFor()
    await expectAccessible(page, 'inbox with the shortcut list')
    await page.keyboard.press('Escape')
    await shortcuts.waitFor({ state: 'hidden' })
    await page.keyboard.press('j')
    await expect.poll(() => page.locator(':focus').innerText()).toBe(late)
    await page.keyboard.press('j')
    await expect.poll(() => page.locator(':focus').innerText()).toBe(reference)
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`/staff/reports/${reference}$`))
    await page.locator('.staff-report__description').waitFor()
    expect(await page.locator('.staff-report__description').getAttribute('lang')).toBe('nl')
    await expectAccessible(page, 'report page')
    await screenshot(page, 'staff-report-en')

    // The photo opens full size.
    const widthOf = (img: unknown) => (img as { naturalWidth: number }).naturalWidth
    const thumb = page.getByRole('button', { name: en.ui.staff.photos.open.replace('{{number}}', '1') })
    await expect.poll(() => thumb.locator('img').evaluate(widthOf)).toBeGreaterThan(0)
    const thumbWidth = await thumb.locator('img').evaluate(widthOf)
    await thumb.click()
    const full = page.getByRole('img', { name: en.ui.staff.photos.full.replace('{{number}}', '1') })
    // The fixture is 450 × 600 turned by its orientation tag: 600 px wide in full, more than its thumbnail.
    await expect.poll(() => full.evaluate(widthOf)).toBe(600)
    expect(thumbWidth).toBeLessThan(600)
    await expectAccessible(page, 'report page with a photo full size')
    await page.getByRole('dialog').getByRole('button', { name: en.ui.staff.close }).click()
    await full.waitFor({ state: 'hidden' })

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

    // For colleagues only: an internal note, a due date, and the report handed to a colleague of the zone.
    await page.getByLabel(en.ui.staff.composer.kind_note, { exact: true }).check()
    await page.getByLabel(en.ui.staff.composer.text_label_note, { exact: true }).fill('The library has a camera on that wall.')
    await page.getByRole('button', { name: en.ui.staff.composer.submit_note }).click()
    await page.locator('.staff-timeline__item--internal .staff-timeline__text', { hasText: 'The library has a camera' }).waitFor()
    await page.getByLabel(en.ui.staff.assign.due, { exact: true }).fill('2030-06-01T09:30')
    await page.getByRole('button', { name: en.ui.staff.assign.due_submit }).click()
    await page.locator('.notice--success', { hasText: en.ui.staff.assign.due_done }).waitFor()
    await page.getByLabel(en.ui.staff.assign.officer, { exact: true }).selectOption(String(colleague.id))
    await page.getByRole('button', { name: en.ui.staff.assign.submit }).click()
    await page.locator('.staff-report__routing dd', { hasText: 'Officer Tom Maes' }).waitFor()
    const [stored] = await server.db.select().from(reports).where(eq(reports.reference, reference))
    expect(stored?.assignedStaffId).toBe(colleague.id)
    expect(stored?.dueAt?.getFullYear()).toBe(2030)

    // Back in the inbox, "/" goes to the search box: a reference typed in lower case opens its report.
    await page.keyboard.press('u')
    await page.waitForURL(/\/staff\/inbox$/)
    await page.locator('tbody tr').first().waitFor()
    await page.keyboard.press('/')
    await page.keyboard.type(late.toLowerCase())
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`/staff/reports/${late}$`))

    // The sound option is kept on this device.
    await page.goto('/staff/inbox')
    await page.locator('tbody tr').first().waitFor()
    expect(await page.getByLabel(en.ui.staff.inbox.sound).isChecked()).toBe(true)

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
