import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { staffUsers, zoneOfficers, zones } from '../../server/src/db/schema.js'
import { aStaff, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { startServer, type E2eServer } from './helpers/server.js'
import { logIn, messagesOf } from './staff-helpers.js'

const leuven = new URL('../../../shared/fixtures/geo/leuven-deelgemeenten.geojson', import.meta.url).pathname

let server: E2eServer
let browser: Browser
let admin: TestStaff

beforeAll(async () => {
  server = await startServer()
  admin = await aStaff(server.db, { role: 'admin', language: 'nl' })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('an administrator', () => {
  it('imports zones from a GeoJSON file, sees them on the map, creates an officer and assigns them with dates', async () => {
    const nl = await messagesOf('nl')
    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const page = await context.newPage()
    await logIn(page, admin, nl)
    await page.waitForURL(/\/staff\/admin\/zones$/)
    await expectAccessible(page, 'zones (empty)')

    await page.getByLabel(nl.ui.staff.zones.file).setInputFiles(leuven)
    await page.getByLabel(nl.ui.staff.zones.promised_hours).first().fill('48')
    await page.getByRole('button', { name: nl.ui.staff.zones.import_submit }).click()
    await page.locator('.notice--success').waitFor()
    const stored = await server.db.select().from(zones)
    expect(stored).toHaveLength(6)
    expect(stored.every((z) => z.promisedResponseHours === 48)).toBe(true)
    await expect.poll(() => page.locator('.leaflet-container path.leaflet-interactive').count()).toBe(6)
    await expect.poll(() => page.locator('main table tbody tr').count()).toBe(6)

    // A new officer account, then an assignment to the first imported zone with a start and an end date.
    await page.goto('/staff/admin/staff')
    await page.getByLabel(nl.ui.staff.login.email).fill('an.peeters@politie.test')
    await page.getByLabel(nl.ui.staff.users.name, { exact: true }).fill('An Peeters')
    await page.getByLabel(nl.ui.staff.users.role, { exact: true }).selectOption('officer')
    await page.getByLabel(nl.ui.staff.users.initial_password).fill('een lange zin als wachtwoord')
    await page.getByRole('button', { name: nl.ui.staff.users.create, exact: true }).click()
    await page.locator('main tbody tr', { hasText: 'An Peeters' }).waitFor()
    await expectAccessible(page, 'staff accounts')
    await screenshot(page, 'staff-admin-staff-nl')

    await page.goto('/staff/admin/zones')
    const zone = stored.sort((a, b) => a.id - b.id)[0]!
    await page.locator('main table').getByRole('button', { name: zone.name, exact: true }).click()
    await page.getByRole('heading', { name: zone.name, level: 2 }).waitFor()
    await page.locator('#assign-staff').selectOption({ label: 'An Peeters' })
    await page.locator('#assign-from').fill('2026-01-05')
    await page.locator('#assign-until').fill('2030-12-31')
    await page.getByRole('button', { name: nl.ui.staff.zones.assign_submit, exact: true }).click()
    await page.locator('.zone-officers li', { hasText: 'An Peeters' }).waitFor()
    await expectAccessible(page, 'a zone with its officers')
    await screenshot(page, 'staff-admin-zones-nl')

    const [officer] = await server.db.select().from(staffUsers).where(eq(staffUsers.email, 'an.peeters@politie.test'))
    const assignments = await server.db.select().from(zoneOfficers).where(eq(zoneOfficers.staffId, officer!.id))
    expect(assignments).toEqual([expect.objectContaining({ zoneId: zone.id, startsOn: '2026-01-05', endsOn: '2030-12-31', primary: true })])

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
