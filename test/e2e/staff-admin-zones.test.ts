import { eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routingRules, staffUsers, zoneOfficers, zones } from '../../server/src/db/schema.js'
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
  it('imports zones from a GeoJSON file, sees them on the map, creates an officer and assigns them with dates, retires a zone, changes roles, routes a category and finds it all in the audit log', async () => {
    const nl = await messagesOf('nl')
    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const page = await context.newPage()
    page.on('dialog', (dialog) => void dialog.accept())
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

    // The last zone is retired: off the map (which shows the zones reports can go to), marked in the list.
    const last = stored.at(-1)!
    await page.locator('main table').getByRole('button', { name: last.name, exact: true }).click()
    await page.getByRole('heading', { name: last.name, level: 2 }).waitFor()
    await page.getByRole('button', { name: nl.ui.staff.zones.retire, exact: true }).click()
    await page.locator('.notice--success', { hasText: nl.ui.staff.zones.retired_done.replace('{{zone}}', last.name) }).waitFor()
    await expect.poll(() => page.locator('.leaflet-container path.leaflet-interactive').count()).toBe(5)
    expect((await server.db.select().from(zones).where(eq(zones.id, last.id)))[0]?.retiredAt).not.toBeNull()

    // Roles: a second account changes role; the officer's account is disabled.
    await page.getByRole('link', { name: nl.ui.staff.nav.staff, exact: true }).click()
    await page.getByLabel(nl.ui.staff.login.email).fill('mira.jacobs@politie.test')
    await page.getByLabel(nl.ui.staff.users.name, { exact: true }).fill('Mira Jacobs')
    await page.getByLabel(nl.ui.staff.users.role, { exact: true }).selectOption('moderator')
    await page.getByLabel(nl.ui.staff.users.initial_password).fill('nog een lange zin als wachtwoord')
    await page.getByRole('button', { name: nl.ui.staff.users.create, exact: true }).click()
    const mira = page.locator('main tbody tr', { hasText: 'Mira Jacobs' })
    await mira.getByLabel(nl.ui.staff.users.role_of.replace('{{name}}', 'Mira Jacobs')).selectOption('oversight')
    await mira.getByRole('button', { name: nl.ui.staff.save }).click()
    await page.locator('.notice--success', { hasText: nl.ui.staff.users.role_saved.replace('{{name}}', 'Mira Jacobs') }).waitFor()
    await page.getByRole('button', { name: nl.ui.staff.users.disable.replace('{{name}}', 'An Peeters') }).click()
    await page.locator('main tbody tr', { hasText: 'An Peeters' }).locator('.tag', { hasText: nl.ui.staff.users.disabled }).waitFor()
    const accounts = await server.db.select().from(staffUsers)
    expect(accounts.find((a) => a.email === 'mira.jacobs@politie.test')?.role).toBe('oversight')
    expect(accounts.find((a) => a.email === 'an.peeters@politie.test')?.disabledAt).not.toBeNull()

    // Routing: drugs reports in the first zone go to the central queue at night.
    await page.getByRole('link', { name: nl.ui.staff.nav.routing, exact: true }).click()
    await page.getByLabel(nl.ui.staff.routing.name, { exact: true }).fill('Drugs ’s nachts centraal')
    await page.getByLabel(nl.ui.staff.inbox.category, { exact: true }).selectOption('drugs')
    await page.getByLabel(nl.ui.staff.inbox.zone, { exact: true }).selectOption({ label: zone.name })
    await page.getByLabel(nl.ui.staff.routing.from, { exact: true }).fill('22:00')
    await page.getByLabel(nl.ui.staff.routing.to, { exact: true }).fill('06:00')
    await page.getByLabel(nl.ui.staff.inbox.queue, { exact: true }).selectOption('central')
    await page.getByRole('button', { name: nl.ui.staff.save, exact: true }).click()
    await page.locator('main tbody tr', { hasText: 'Drugs ’s nachts centraal' }).waitFor()
    await expectAccessible(page, 'routing with a rule')
    const [rule] = await server.db.select().from(routingRules)
    expect(rule).toMatchObject({ category: 'drugs', zoneId: zone.id, fromMinute: 22 * 60, toMinute: 6 * 60, queue: 'central' })

    // Every one of these steps is in the audit log, found by what was done.
    await page.getByRole('link', { name: nl.ui.staff.nav.audit, exact: true }).click()
    await page.locator('main tbody tr').first().waitFor()
    await page.getByLabel(nl.ui.staff.audit.action, { exact: true }).fill('zone.officer_assigned')
    await page.getByRole('button', { name: nl.ui.staff.audit.search, exact: true }).click()
    await page.locator('main p', { hasText: nl.ui.staff.audit.count.replace('{{count}}', '1') }).waitFor()
    expect(await page.locator('main tbody tr').count()).toBe(1)
    await expectAccessible(page, 'audit log search')
    await screenshot(page, 'staff-admin-audit-nl')

    expect(foreignRequests).toEqual([])
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
