import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handoverNotes } from '../../server/src/db/schema.js'
import { aStaff, loginAs, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { logIn, messagesOf } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
let zoneId: number
let outgoing: TestStaff
let successor: TestStaff

beforeAll(async () => {
  server = await startServer()
  const [flagey] = await seedQuartiers(server.db, ['Flagey - malibran'])
  zoneId = flagey!.id
  outgoing = await aStaff(server.db, { role: 'officer', zoneId, language: 'nl', displayName: 'Sara Peeters' })
  successor = await aStaff(server.db, { role: 'officer', language: 'fr', displayName: 'Karim Benali' })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('an officer and the neighbourhood', () => {
  it('writes an update, previews it as residents will see it, publishes, edits and withdraws it', async () => {
    const nl = await messagesOf('nl')
    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const page = await context.newPage()
    page.on('dialog', (dialog) => void dialog.accept())
    const visitor = await context.newPage()
    await logIn(page, outgoing, nl)
    await page.getByRole('link', { name: nl.ui.staff.nav.posts }).click()
    await page.waitForURL(/\/staff\/posts$/)

    await page.getByLabel(nl.ui.staff.posts.title, { exact: true }).fill('Extra patrouilles rond het Flageyplein')
    await page.getByLabel(nl.ui.staff.posts.body, { exact: true }).fill('Deze week patrouilleren we ’s avonds extra rond het plein.')
    await page.getByRole('button', { name: nl.ui.staff.posts.preview, exact: true }).click()
    await page.locator('.posts-preview .public-post h3', { hasText: 'Extra patrouilles rond het Flageyplein' }).waitFor()
    await expectAccessible(page, 'neighbourhood update with preview')
    await screenshot(page, 'staff-posts-preview-nl')
    await page.getByRole('button', { name: nl.ui.staff.posts.publish, exact: true }).click()
    await page.locator('.notice--success', { hasText: nl.ui.staff.posts.published }).waitFor()

    await visitor.goto(`/neighbourhoods/${zoneId}`)
    await visitor.locator('.public-post h3', { hasText: 'Extra patrouilles rond het Flageyplein' }).waitFor()

    await page.getByRole('button', { name: nl.ui.staff.posts.edit.replace('{{title}}', 'Extra patrouilles rond het Flageyplein') }).click()
    await page.getByLabel(nl.ui.staff.posts.title, { exact: true }).fill('Extra patrouilles rond Flagey, ook in het weekend')
    await page.getByRole('button', { name: nl.ui.staff.posts.save, exact: true }).click()
    await page.locator('.notice--success', { hasText: nl.ui.staff.posts.saved }).waitFor()
    // The neighbourhood page follows live.
    await visitor.locator('.public-post h3', { hasText: 'ook in het weekend' }).waitFor({ timeout: 30_000 })

    await page.getByRole('button', { name: nl.ui.staff.posts.withdraw.replace('{{title}}', 'Extra patrouilles rond Flagey, ook in het weekend') }).click()
    await page.locator('.notice--success', { hasText: nl.ui.staff.posts.withdrawn }).waitFor()
    await visitor.reload()
    await visitor.locator('main h2').first().waitFor()
    await expect.poll(() => visitor.locator('.public-post').count()).toBe(0)

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })

  it('hands the zone over: the outgoing officer writes the note and the successor reads it at their first login', async () => {
    const admin = await loginAs(server.app, await aStaff(server.db, { role: 'admin' }))
    const handover = await server.app.inject({
      method: 'POST',
      url: `/api/zones/${zoneId}/handover`,
      headers: admin.headers,
      payload: { fromStaffId: outgoing.id, toStaffId: successor.id },
    })
    expect(handover.statusCode, handover.body).toBe(200)

    const nl = await messagesOf('nl')
    const first = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const page = await first.context.newPage()
    await logIn(page, outgoing, nl)
    await page.goto('/staff/handover')
    const note = page.locator('textarea[id^="handover-note-"]')
    // The note starts from the outline of what a successor needs.
    await expect.poll(() => note.inputValue()).toContain(nl.ui.staff.handover.outline_contacts)
    await note.fill('Sleutelcontacten: directeur van de school aan de Vijverstraat.\nPrioriteiten: verkeer rond de school.')
    await page.getByRole('button', { name: nl.ui.staff.handover.save, exact: true }).click()
    await page.locator('.notice--success', { hasText: nl.ui.staff.handover.saved }).waitFor()
    await expectAccessible(page, 'handover note (outgoing)')
    await first.context.close()

    const fr = await messagesOf('fr')
    const second = await newContext(browser, { baseURL: server.url, locale: 'fr-BE' })
    const next = await second.context.newPage()
    await logIn(next, successor, fr)
    const banner = next.locator('.notice--warning', { hasText: 'Sara Peeters' })
    await banner.waitFor()
    await screenshot(next, 'staff-handover-banner-fr')
    await banner.getByRole('link', { name: fr.ui.staff.handover.read_link }).click()
    await next.locator('.handover__note', { hasText: 'directeur van de school' }).waitFor()
    await expectAccessible(next, 'handover note (successor)')
    await next.getByRole('button', { name: fr.ui.staff.handover.mark_seen }).click()
    await next.locator('.notice--success', { hasText: fr.ui.staff.handover.marked_seen }).waitFor()
    const [stored] = await server.db.select().from(handoverNotes).where(eq(handoverNotes.toStaffId, successor.id))
    expect(stored?.seenAt).not.toBeNull()

    // Read once: the next visit no longer shows the banner.
    await next.goto('/staff/inbox')
    await next.locator('main h1').waitFor()
    expect(await next.locator('.notice--warning', { hasText: 'Sara Peeters' }).count()).toBe(0)
    expect(second.pageErrors).toEqual([])
    await second.context.close()
  })
})
