import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import nl from '../../shared/src/locales/nl.json' with { type: 'json' }
import { staffUsers } from '../../server/src/db/schema.js'
import { aStaff, loginAs, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { fixturePhoto, markPage, pageWasNotReloaded } from './helpers/resident.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { logIn } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
let officer: TestStaff
let flageyId: number

beforeAll(async () => {
  server = await startServer()
  const zones = await seedQuartiers(server.db, ['Flagey - malibran', 'Matonge', 'Chatelain'])
  flageyId = zones.find((z) => z.name.startsWith('Flagey'))!.id
  officer = await aStaff(server.db, { role: 'officer', zoneId: flageyId })
  await server.db.update(staffUsers).set({ publicFirstName: 'Sara', showOnZonePage: true }).where(eq(staffUsers.id, officer.id))

  // One report, published by a moderator with a summary: the public page may show it.
  const filed = await server.app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: { category: 'vandalism', description: 'Graffiti on the library wall', location: { lat: 50.8275, lon: 4.3721 }, anonymous: true },
  })
  expect(filed.statusCode, filed.body).toBe(201)
  const moderator = await aStaff(server.db, { role: 'moderator' })
  const login = await loginAs(server.app, moderator)
  const published = await server.app.inject({
    method: 'POST',
    url: `/api/staff/moderation/reports/${filed.json().reference}/decision`,
    headers: login.headers,
    payload: { decision: 'publish_summary', summary: 'Graffiti op een gevel aan het Flageyplein.', reason: 'no personal data' },
  })
  expect(published.statusCode, published.body).toBe(200)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the neighbourhood pages', () => {
  it('list the zones, find one by name and show its public reports, officers and figures, with officers\' news arriving live', async () => {
    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const page = await context.newPage()

    await page.goto('/neighbourhoods')
    await page.locator('.zone-list li').nth(2).waitFor()
    await page.locator('.leaflet-container path').first().waitFor()
    await expectAccessible(page, 'neighbourhoods')
    await screenshot(page, 'neighbourhoods-nl')
    await page.getByLabel(nl.ui.neighbourhoods.filter_label).fill('flag')
    await expect.poll(() => page.locator('.zone-list li').count()).toBe(1)

    await page.locator('.zone-list a').click()
    await page.waitForURL(new RegExp(`/neighbourhoods/${flageyId}$`))
    await expect.poll(() => page.locator('h1').innerText()).toMatch(/Flagey/i)
    await page.locator('.officers__item', { hasText: 'Sara' }).waitFor()
    await page.locator('.public-report', { hasText: 'Graffiti op een gevel aan het Flageyplein.' }).waitFor()
    await page.locator('.leaflet-container .leaflet-interactive').first().waitFor()
    await expectAccessible(page, 'neighbourhood')
    await screenshot(page, 'neighbourhood-nl')

    await markPage(page)
    const login = await loginAs(server.app, officer)
    const posted = await server.app.inject({
      method: 'POST',
      url: `/api/staff/zones/${flageyId}/posts`,
      headers: login.headers,
      payload: { title: 'Extra patrouilles in het Flageypark', body: 'Deze week patrouilleren we elke avond in het park.', language: 'nl' },
    })
    expect(posted.statusCode, posted.body).toBe(201)
    await page.locator('.public-post h3', { hasText: 'Extra patrouilles in het Flageypark' }).waitFor({ timeout: 30_000 })
    expect(await pageWasNotReloaded(page)).toBe(true)
    await page.locator('.public-post', { hasText: 'Sara' }).waitFor()
    await screenshot(page, 'neighbourhood-live-post-nl')

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })

  it("shows an officer's photo once they uploaded it on their account page and chose to show it", async () => {
    const staffSide = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const staffPage = await staffSide.context.newPage()
    await logIn(staffPage, officer, nl)
    await staffPage.goto('/staff/account')
    await staffPage.getByRole('heading', { name: nl.ui.staff.account.photo_title }).waitFor()
    await staffPage.getByText(nl.ui.staff.account.photo_listed.replace('{{name}}', 'Sara')).waitFor()

    // A camera JPEG with GPS in its EXIF; the server keeps a 400 px WebP without it.
    await staffPage.getByLabel(nl.ui.staff.account.photo_file_label, { exact: true }).setInputFiles(fixturePhoto('gps_DSCN0010.jpg'))
    await staffPage.getByRole('button', { name: nl.ui.staff.account.photo_upload }).click()
    const own = staffPage.getByRole('img', { name: nl.ui.staff.account.photo_current_alt })
    await own.waitFor({ timeout: 30_000 })
    await expect.poll(() => own.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(400)
    await staffPage.getByText(nl.ui.staff.account.photo_hidden).waitFor()
    expect((await server.app.inject({ method: 'GET', url: `/api/public/officers/${officer.id}/photo` })).statusCode).toBe(404)

    await staffPage.getByLabel(nl.ui.staff.account.photo_public_label).check()
    await staffPage.getByText(nl.ui.staff.account.photo_shown).waitFor()
    await expectAccessible(staffPage, 'staff account with a photo')
    await screenshot(staffPage, 'staff-account-photo-nl')

    const residents = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const page = await residents.context.newPage()
    await page.goto(`/neighbourhoods/${flageyId}`)
    const photo = page.locator('.officers__item', { hasText: 'Sara' }).getByRole('img', { name: nl.ui.neighbourhood.officer_photo_alt.replace('{{name}}', 'Sara') })
    await photo.waitFor()
    await expect.poll(() => photo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(400)
    expect(await photo.getAttribute('src')).toMatch(new RegExp(`^/api/public/officers/${officer.id}/photo\\?v=`))
    await expectAccessible(page, 'neighbourhood with an officer photo')
    await screenshot(page, 'neighbourhood-officer-photo-nl')

    // Hidden again on the account page: residents see the initial instead.
    await staffPage.getByLabel(nl.ui.staff.account.photo_public_label).uncheck()
    await staffPage.getByText(nl.ui.staff.account.photo_hidden).waitFor()
    await page.reload()
    await page.locator('.officers__item', { hasText: 'Sara' }).locator('.officers__initial', { hasText: 'S' }).waitFor()
    expect(await page.locator('.officers__item img').count()).toBe(0)

    expect([...staffSide.foreignRequests, ...residents.foreignRequests]).toEqual([])
    expect([...staffSide.pageErrors, ...residents.pageErrors]).toEqual([])
    await staffSide.context.close()
    await residents.context.close()
  })

  it('says so when a neighbourhood does not exist', async () => {
    const { context } = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const page = await context.newPage()
    await page.goto('/neighbourhoods/99999')
    await expect.poll(() => page.locator('h1').innerText()).toBe(nl.errors.ZONE_NOT_FOUND)
    await expectAccessible(page, 'unknown neighbourhood')
    await context.close()
  })
})
