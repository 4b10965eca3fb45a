import { and, eq } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, staffSessions } from '../../server/src/db/schema.js'
import { newTotpSecret, totpCode } from '../../server/src/modules/staff/totp.js'
import { aStaff, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { fileReport, messagesOf } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
let officer: TestStaff
let reference: string

beforeAll(async () => {
  server = await startServer()
  const [flagey] = await seedQuartiers(server.db, ['Flagey - malibran'])
  officer = await aStaff(server.db, { role: 'officer', zoneId: flagey!.id, language: 'de', totpSecret: newTotpSecret(), displayName: 'Jonas Weber' })
  reference = (await fileReport(server, {
    category: 'traffic',
    description: 'Cars park on the pavement every morning.',
    language: 'en',
    anonymous: false,
    contact: { name: 'Lea Dubois', email: 'lea@example.be', phone: '0470 11 22 33', consent: true },
  })).reference
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('an officer\'s session', () => {
  it('logs in with a one-time code, shows contact data only on request (audited), survives an ended session with the draft kept, and logs out', async () => {
    const de = await messagesOf('de')
    const { context, foreignRequests, pageErrors } = await newContext(browser, { baseURL: server.url, locale: 'de-DE' })
    const page = await context.newPage()

    // Password first; the code field appears when the account has two-factor login.
    await page.goto(`/staff/reports/${reference}`)
    await page.waitForURL(/\/staff\/login\?next=/)
    await page.getByLabel(de.ui.staff.login.email).fill(officer.email)
    await page.getByLabel(de.ui.staff.login.password, { exact: true }).fill(officer.password)
    await page.getByRole('button', { name: de.ui.staff.login.submit }).click()
    await page.getByLabel(de.ui.staff.login.totp).waitFor()
    await expectAccessible(page, 'login with a one-time code')
    await screenshot(page, 'staff-login-totp-de')
    await page.getByLabel(de.ui.staff.login.totp).fill(totpCode(officer.totpSecret!))
    await page.getByRole('button', { name: de.ui.staff.login.submit }).click()
    await page.waitForURL(new RegExp(`/staff/reports/${reference}$`))

    // Contact data: hidden until asked for, and each look is in the audit log.
    await expect.poll(() => page.locator('main').innerText()).not.toContain('lea@example.be')
    await page.getByRole('button', { name: de.ui.staff.contact.show }).click()
    await page.locator('.contact__data', { hasText: 'lea@example.be' }).waitFor()
    const looks = await server.db.select().from(auditLog).where(and(eq(auditLog.action, 'report.contact_viewed'), eq(auditLog.staffId, officer.id)))
    expect(looks).toHaveLength(1)
    expect(looks[0]?.targetId).toBe(reference)

    // A half-written message, then the session ends on the server (idle timeout, revoked elsewhere…).
    await page.getByLabel(de.ui.staff.composer.kind_message, { exact: true }).check()
    await page.getByLabel(de.ui.staff.composer.text_label_message, { exact: true }).fill('Wir schicken morgen früh eine Streife vorbei.')
    await server.db.update(staffSessions).set({ revokedAt: new Date() }).where(eq(staffSessions.staffId, officer.id))
    await page.getByRole('button', { name: de.ui.staff.composer.submit_message }).click()
    await page.waitForURL(/\/staff\/login\?next=/)
    await page.locator('.notice', { hasText: de.ui.staff.login.session_ended }).waitFor()
    await page.getByLabel(de.ui.staff.login.email).fill(officer.email)
    await page.getByLabel(de.ui.staff.login.password, { exact: true }).fill(officer.password)
    await page.getByRole('button', { name: de.ui.staff.login.submit }).click()
    await page.getByLabel(de.ui.staff.login.totp).waitFor()
    // The code of the next 30-second step: the one just used is not accepted twice.
    await page.getByLabel(de.ui.staff.login.totp).fill(totpCode(officer.totpSecret!, Date.now() + 30_000))
    await page.getByRole('button', { name: de.ui.staff.login.submit }).click()
    await page.waitForURL(new RegExp(`/staff/reports/${reference}$`))
    await expect.poll(() => page.getByLabel(de.ui.staff.composer.text_label_message, { exact: true }).inputValue()).toBe('Wir schicken morgen früh eine Streife vorbei.')
    await page.getByRole('button', { name: de.ui.staff.composer.submit_message }).click()
    await page.locator('.staff-timeline__text', { hasText: 'Wir schicken morgen früh' }).waitFor()

    await page.getByRole('button', { name: de.ui.staff.logout }).click()
    await page.waitForURL(/\/staff\/login$/)
    await page.locator('.notice', { hasText: de.ui.staff.login.logged_out }).waitFor()
    const open = await server.db.select().from(staffSessions).where(eq(staffSessions.staffId, officer.id))
    expect(open.every((s) => s.revokedAt !== null)).toBe(true)

    expect(foreignRequests).toEqual([])
    // The two refusals of the ended session are expected; nothing else may fail.
    expect(pageErrors.filter((e) => !/status of 401/.test(e))).toEqual([])
    await context.close()
  })
})
