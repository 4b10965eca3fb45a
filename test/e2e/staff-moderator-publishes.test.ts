import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { photos, reports } from '../../server/src/db/schema.js'
import { aStaff, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { fileReport, fileReportWithPhotos, logIn, messagesOf } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
let moderator: TestStaff
let zoneId: number

beforeAll(async () => {
  server = await startServer()
  const [flagey] = await seedQuartiers(server.db, ['Flagey - malibran'])
  zoneId = flagey!.id
  moderator = await aStaff(server.db, { role: 'moderator', language: 'fr' })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('a moderator', () => {
  it('reviews a flagged report, flags a name by hand, blurs part of its photo and publishes a summary that the public page then shows', async () => {
    const fr = await messagesOf('fr')
    // An earlier, similar report: the moderator sees the two side by side.
    const earlier = await fileReport(server, { category: 'drugs', description: 'Des jeunes vendent de la drogue devant le numéro 12 le soir.', language: 'fr' })
    const description = 'Des jeunes vendent de la drogue devant le numéro 12 chez Karim Haddad, appelez-moi au 0470 12 34 56.'
    const { reference } = await fileReportWithPhotos(server, { category: 'drugs', description, language: 'fr' }, ['gps_DSCN0010.jpg'])

    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'fr-BE' })
    const page = await context.newPage()
    await logIn(page, moderator, fr)
    await page.waitForURL(/\/staff\/moderation$/)
    const item = page.locator('.moderation-queue li', { hasText: reference })
    await item.waitFor()
    await item.locator('.tag', { hasText: fr.moderation.flag_group.personal_data }).waitFor()
    await expectAccessible(page, 'moderation queue')
    await screenshot(page, 'staff-moderation-queue-fr')

    await item.getByRole('link').click()
    await page.waitForURL(new RegExp(`/staff/moderation/reports/${reference}$`))
    // The phone number is highlighted where it stands in the text.
    await expect.poll(() => page.locator('mark.flag--personal_data').allInnerTexts()).toContainEqual(expect.stringContaining('0470 12 34 56'))
    const duplicate = page.locator('.side-by-side')
    await duplicate.locator('h3', { hasText: earlier.reference }).waitFor()
    await duplicate.getByText('le numéro 12 le soir').waitFor()

    // The name slipped past the automatic checks: the moderator selects it in the text and flags it by hand.
    await page.locator('.flagged-text').evaluate((p, words) => {
      const doc = (p as unknown as { ownerDocument: { createTreeWalker(root: unknown, show: number): { nextNode(): { textContent: string } | null }; createRange(): { setStart(n: unknown, o: number): void; setEnd(n: unknown, o: number): void }; getSelection(): { removeAllRanges(): void; addRange(r: unknown): void } } }).ownerDocument
      const walker = doc.createTreeWalker(p, 4)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(words)
        if (at < 0) continue
        const range = doc.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + words.length)
        doc.getSelection().removeAllRanges()
        doc.getSelection().addRange(range)
      }
    }, 'Karim Haddad')
    await page.getByRole('button', { name: fr.ui.staff.moderation.flag_use_selection }).click()
    expect(await page.getByLabel(fr.ui.staff.moderation.flag_passage, { exact: true }).inputValue()).toBe('Karim Haddad')
    await page.getByLabel(fr.ui.staff.moderation.flag_kind, { exact: true }).selectOption('person_name')
    await page.getByLabel(fr.ui.staff.moderation.flag_note, { exact: true }).fill('nom d’un voisin')
    await page.getByRole('button', { name: fr.ui.staff.moderation.flag_submit }).click()
    await page.locator('.notice--success', { hasText: fr.ui.staff.moderation.flag_added }).waitFor()
    await expect.poll(() => page.locator('mark.flag--personal_data').allInnerTexts()).toContainEqual(expect.stringContaining('Karim Haddad'))
    await page.locator('.flag-list li', { hasText: fr.moderation.flag.person_name }).getByText(fr.ui.staff.moderation.flag_by.replace('{{name}}', moderator.displayName)).waitFor()

    // A rectangle drawn over the top-left quarter of the photo.
    const surface = page.locator('.redaction__surface')
    await surface.locator('img').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode())
    await surface.scrollIntoViewIfNeeded()
    const box = (await surface.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3, { steps: 5 })
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 })
    await page.mouse.up()
    await expect.poll(() => page.locator('.redaction__rect').count()).toBe(1)
    await page.getByRole('button', { name: fr.ui.staff.redaction.save.replace('{{count}}', '1') }).click()
    await page.locator('.redaction__result img').waitFor()
    const [photo] = await server.db.select().from(photos).where(eq(photos.reportId, (await server.db.select().from(reports).where(eq(reports.reference, reference)))[0]!.id))
    expect(photo?.redactedKey).not.toBeNull()
    expect(photo?.redactions?.[0]?.x).toBeCloseTo(0.1, 1)
    expect(photo?.redactions?.[0]?.width).toBeCloseTo(0.4, 1)

    const summary = 'Signalement de trafic de drogue près de la place Flagey.'
    await page.getByLabel(fr.ui.staff.moderation.decision_publish_summary).check()
    await page.getByLabel(fr.ui.staff.moderation.summary, { exact: true }).fill(summary)
    await page.locator('.public-preview .public-report__text', { hasText: summary }).waitFor()
    await page.locator('.public-preview .public-report__photos img').waitFor()
    await page.getByLabel(fr.ui.staff.moderation.reason, { exact: true }).fill('Numéro de téléphone et numéro de maison retirés')
    await expectAccessible(page, 'moderation of a report')
    await screenshot(page, 'staff-moderation-report-fr')
    await page.getByRole('button', { name: fr.ui.staff.moderation.decide }).click()
    await page.locator('.notice--success', { hasText: fr.moderation.state.published_summary }).waitFor()

    const [stored] = await server.db.select().from(reports).where(eq(reports.reference, reference))
    expect(stored?.moderationState).toBe('published_summary')
    expect(stored?.publicSummary).toBe(summary)

    // The neighbourhood page now shows the summary, never the resident's words.
    const visitor = await context.newPage()
    await visitor.goto(`/neighbourhoods/${zoneId}`)
    await visitor.locator('.public-report__text', { hasText: summary }).waitFor()
    expect(await visitor.locator('main').innerText()).not.toContain('0470')
    // With the blurred copy of its photo: the page links the public photo, whose bytes are the redacted derivative
    // the moderator confirmed and not the resident's original.
    const publicPhoto = visitor.locator('.public-report__photos a')
    await expect.poll(() => publicPhoto.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0)
    const href = (await publicPhoto.getAttribute('href'))!
    expect(href).toBe(`/api/public/photos/${photo!.id}`)
    const [shown, redacted, original] = await Promise.all([
      context.request.get(href),
      context.request.get(`/api/staff/moderation/photos/${photo!.id}/redacted`),
      context.request.get(`/api/staff/moderation/photos/${photo!.id}/full`),
    ])
    expect(shown.status()).toBe(200)
    expect((await shown.body()).equals(await redacted.body())).toBe(true)
    expect((await shown.body()).equals(await original.body())).toBe(false)

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
