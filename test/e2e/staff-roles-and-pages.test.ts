import type { Role } from '@nabij/shared/domain/roles'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportUpdates } from '../../server/src/db/schema.js'
import { aStaff, loginAs, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { fileReport, fileReportWithPhotos, logIn, messagesOf, residentReplies, type Messages } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
const staff = {} as Record<Role, TestStaff>
let reference: string
let lamp: string
let complaint: string
let replyId: number

beforeAll(async () => {
  server = await startServer()
  const quartiers = await seedQuartiers(server.db, ['Flagey - malibran', 'Matonge'])
  const flagey = quartiers.find((z) => z.name.startsWith('Flagey'))
  const matonge = quartiers.find((z) => z.name.startsWith('Matonge'))
  for (const role of ['officer', 'moderator', 'partner', 'oversight', 'admin'] as const) {
    staff[role] = await aStaff(server.db, { role, language: 'en', displayName: `${role} Nabij`, ...(role === 'officer' ? { zoneId: flagey!.id } : {}) })
  }
  const filed = await fileReportWithPhotos(server, {
    category: 'nuisance',
    description: 'Loud music every night after midnight near the square.',
    language: 'en',
    anonymous: false,
    contact: { name: 'Sam Janssens', email: 'sam@example.be', consent: true },
  }, ['orientation_landscape_6.jpg'])
  reference = filed.reference
  lamp = (await fileReport(server, { category: 'public_space_defect', description: 'Broken street lamp on the corner.', language: 'en' })).reference
  // A complaint about police conduct in the officer's own neighbourhood: the oversight body's, never the zone's.
  complaint = (await fileReport(server, { category: 'police_conduct', description: 'An officer shouted at my son during a check on the square.', language: 'en' })).reference
  await residentReplies(server, filed.receiptCode, 'It happened again yesterday.', 'en')
  // The flags are computed right after intake; the reply's id is what the moderation page is addressed by.
  const replies = await server.db.select({ id: reportUpdates.id }).from(reportUpdates)
  replyId = replies.at(-1)!.id

  // The officer takes over a second neighbourhood from a colleague, so the handover page and banner have content.
  const previous = await aStaff(server.db, { role: 'officer', language: 'en', displayName: 'Previous Nabij', zoneId: matonge!.id })
  const login = await loginAs(server.app, staff.admin)
  const handover = await server.app.inject({
    method: 'POST',
    url: `/api/zones/${matonge!.id}/handover`,
    headers: login.headers,
    payload: { fromStaffId: previous.id, toStaffId: staff.officer.id, note: 'Key contacts: the school director.' },
  })
  expect(handover.statusCode, handover.body).toBe(200)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const pages = () => ({
  inbox: '/staff/inbox',
  report: `/staff/reports/${reference}`,
  posts: '/staff/posts',
  handover: '/staff/handover',
  moderation: '/staff/moderation',
  moderation_report: `/staff/moderation/reports/${reference}`,
  moderation_reply: `/staff/moderation/replies/${replyId}`,
  zones: '/staff/admin/zones',
  staff: '/staff/admin/staff',
  routing: '/staff/admin/routing',
  audit: '/staff/admin/audit',
  account: '/staff/account',
})
type PageName = keyof ReturnType<typeof pages>

const allowed: Record<Role, PageName[]> = {
  officer: ['inbox', 'report', 'posts', 'handover', 'account'],
  partner: ['inbox', 'account'],
  oversight: ['inbox', 'account'],
  moderator: ['moderation', 'moderation_report', 'moderation_reply', 'account'],
  admin: ['inbox', 'report', 'posts', 'handover', 'moderation', 'moderation_report', 'moderation_reply', 'zones', 'staff', 'routing', 'audit', 'account'],
}

/** Waits until a page has rendered its data (its main heading, and no loading message left). */
async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor()
  await expect.poll(() => page.locator('main [role="status"]', { hasText: /^(Loading|Laden|جارٍ التحميل)/ }).count()).toBe(0)
}

describe('the staff pages', () => {
  it('send a visitor without a session to the login page and back to the page they asked for', async () => {
    const en = await messagesOf('en')
    const { context, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'en' })
    const page = await context.newPage()
    await page.goto('/staff/inbox')
    await page.waitForURL((url) => url.pathname === '/staff/login' && url.searchParams.get('next') === '/staff/inbox')
    await expectAccessible(page, 'login')
    await screenshot(page, 'staff-login-en')
    await page.getByLabel(en.ui.staff.login.email).fill(staff.officer.email)
    await page.getByLabel(en.ui.staff.login.password, { exact: true }).fill('not the password')
    await page.getByRole('button', { name: en.ui.staff.login.submit }).click()
    await page.locator('#login-error', { hasText: en.errors.LOGIN_FAILED }).waitFor()
    await page.getByLabel(en.ui.staff.login.password, { exact: true }).fill(staff.officer.password)
    await page.getByRole('button', { name: en.ui.staff.login.submit }).click()
    await page.waitForURL(/\/staff\/inbox$/)
    expect(pageErrors.filter((e) => !/401/.test(e))).toEqual([])
    await context.close()
  })

  it.each(['officer', 'partner', 'oversight', 'moderator', 'admin'] as const)('keep the %s out of the other roles\' pages (403 page) and let them into theirs', async (role) => {
    const en = await messagesOf('en')
    const { context, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'en' })
    const page = await context.newPage()
    await logIn(page, staff[role], en)
    for (const [name, path] of Object.entries(pages()) as [PageName, string][]) {
      await page.goto(path)
      if (name === 'report' && (role === 'partner' || role === 'oversight')) {
        // Their report page exists, but this report is in the zone officers' queue: the server refuses it.
        await page.getByRole('heading', { name: en.ui.staff.forbidden.title }).waitFor()
      } else if (allowed[role].includes(name)) {
        await page.waitForURL((url) => url.pathname === path)
        await settled(page)
        expect(await page.locator('main h1').first().innerText(), `${role} on ${name}`).not.toBe(en.ui.staff.forbidden.title)
        // Each queue holds its own reports: the municipality's defect is the partner's, not the zone officer's.
        if (name === 'inbox') {
          expect(await page.locator('tbody tr', { hasText: lamp }).count(), `${role}'s inbox`).toBe(role === 'partner' || role === 'admin' ? 1 : 0)
          expect(await page.locator('tbody tr', { hasText: complaint }).count(), `${role}'s inbox`).toBe(role === 'oversight' || role === 'admin' ? 1 : 0)
        }
      } else {
        await page.waitForURL(/\/staff\/forbidden\?from=/)
        await page.getByRole('heading', { name: en.ui.staff.forbidden.title }).waitFor()
      }
    }
    if (role === 'partner' || role === 'oversight') {
      // The same report page for their own queue: they work it, without any reporter's contact data.
      const own = role === 'partner' ? lamp : complaint
      await page.goto(`/staff/reports/${own}`)
      await page.getByRole('heading', { name: en.ui.staff.report.heading.replace('{{reference}}', own) }).waitFor()
      await page.getByRole('button', { name: en.ui.staff.status_actions.to_acknowledged }).click()
      await page.locator('.staff-report__facts .status-badge', { hasText: en.ui.staff.status.acknowledged }).waitFor()
      expect(await page.locator('.contact').count()).toBe(0)
      // The other body's report stays closed to them.
      await page.goto(`/staff/reports/${role === 'partner' ? complaint : lamp}`)
      await page.getByRole('heading', { name: en.ui.staff.forbidden.title }).waitFor()
    }
    if (role === 'officer') {
      // The complaint is in the officer's own zone, and still not theirs to open.
      await page.goto(`/staff/reports/${complaint}`)
      await page.getByRole('heading', { name: en.ui.staff.forbidden.title }).waitFor()
    }
    // The server refuses on its own: the page's own session asking for an admin route.
    const status = await page.evaluate(async () => (await fetch('/api/staff/users')).status)
    expect(status).toBe(role === 'admin' ? 200 : 403)
    expect(pageErrors.filter((e) => !/status of 403/.test(e))).toEqual([])
    await context.close()
  })

  it.each([
    { language: 'en', locale: 'en-GB', dir: 'ltr' },
    { language: 'ar', locale: 'ar', dir: 'rtl' },
  ])('pass axe in $language ($dir), for the admin and the officer', async ({ language, locale, dir }) => {
    const messages: Messages = await messagesOf(language)
    for (const role of ['admin', 'officer'] as const) {
      const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale })
      const page = await context.newPage()
      await logIn(page, staff[role], messages)
      // Staff may work in another language than their account's: the switcher in the header.
      await page.locator('#language-select').selectOption(language)
      await expect.poll(async () => [await page.locator('html').getAttribute('lang'), await page.locator('html').getAttribute('dir')]).toEqual([language, dir])
      for (const name of allowed[role]) {
        await page.goto(pages()[name])
        await settled(page)
        if (name === 'report' || name === 'zones') await page.locator('.leaflet-container').waitFor()
        await expectAccessible(page, `${name} as ${role} (${language})`)
        await screenshot(page, `staff-${name}-${role}-${language}`)
      }
      if (role === 'officer') {
        await page.goto('/staff/admin/audit')
        await page.getByRole('heading', { name: messages.ui.staff.forbidden.title }).waitFor()
        await expectAccessible(page, `forbidden (${language})`)
      }
      expect(foreignRequests).toEqual([])
      expect(pageErrors).toEqual([])
      await context.close()
    }
  })
})
