import { and, eq } from 'drizzle-orm'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, reports, staffSessions } from '../../server/src/db/schema.js'
import { newTotpSecret, totpCode } from '../../server/src/modules/staff/totp.js'
import { aStaff, type TestStaff } from '../server/helpers/factories.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'
import { fileReport, logIn, messagesOf } from './staff-helpers.js'

let server: E2eServer
let browser: Browser
let officer: TestStaff
let colleague: TestStaff
let reference: string

beforeAll(async () => {
  server = await startServer()
  const [flagey] = await seedQuartiers(server.db, ['Flagey - malibran'])
  officer = await aStaff(server.db, { role: 'officer', zoneId: flagey!.id, language: 'de', totpSecret: newTotpSecret(), displayName: 'Jonas Weber' })
  colleague = await aStaff(server.db, { role: 'officer', zoneId: flagey!.id, language: 'en', displayName: 'Lotte Claes' })
  reference = (await fileReport(server, {
    category: 'traffic',
    // Written in English on the French form: the report page names both languages.
    description: 'Cars park on the pavement every morning, so children walk on the street.',
    language: 'fr',
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
    // The written language is detected right after intake, apart from the resident's request.
    await expect.poll(async () => (await server.db.select().from(reports).where(eq(reports.reference, reference)))[0]?.detectedLanguage).toBe('en')
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

    const languages = page.locator('.staff-report__language')
    await languages.getByText(de.ui.staff.report.detected_language.replace('{{language}}', de.language_name.en)).waitFor()
    expect(await languages.innerText()).toContain(de.ui.staff.report.declared_language.replace('{{language}}', de.language_name.fr))
    expect(await page.locator('.staff-report__description').getAttribute('lang')).toBe('fr')

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

  it('changes the password and turns on two-factor login; the other device\'s session ends and its page says so when woken, as after the idle limit', async () => {
    const en = await messagesOf('en')
    const desk = await newContext(browser, { baseURL: server.url, locale: 'en-GB' })
    const tablet = await newContext(browser, { baseURL: server.url, locale: 'en-GB' })
    const page = await desk.context.newPage()
    const other = await tablet.context.newPage()
    await logIn(page, colleague, en)
    await logIn(other, colleague, en)

    await page.getByRole('link', { name: en.ui.staff.nav.account }).click()
    await page.waitForURL(/\/staff\/account$/)
    const change = async (current: string, next: string, repeat = next) => {
      await page.getByLabel(en.ui.staff.account.current_password, { exact: true }).first().fill(current)
      await page.getByLabel(en.ui.staff.account.new_password, { exact: true }).fill(next)
      await page.getByLabel(en.ui.staff.account.repeat_password, { exact: true }).fill(repeat)
      await page.getByRole('button', { name: en.ui.staff.account.password_submit }).click()
    }
    const newPassword = 'a much longer sentence for a password'
    await change(colleague.password, 'too short')
    await page.locator('.field-error', { hasText: en.ui.staff.account.password_short.replace('{{min}}', '12') }).waitFor()
    await change(colleague.password, newPassword, `${newPassword}!`)
    await page.locator('.field-error', { hasText: en.ui.staff.account.password_mismatch }).waitFor()
    await change('not my password at all', newPassword)
    await page.locator('.field-error', { hasText: en.errors.LOGIN_FAILED }).waitFor()
    await change(colleague.password, newPassword)
    await page.locator('.notice--success', { hasText: en.ui.staff.account.password_changed }).waitFor()

    // Two-factor login, set up from the secret the page shows (as an authenticator app would read it).
    await page.getByRole('button', { name: en.ui.staff.account.totp_start }).click()
    const secret = (await page.locator('.secret').innerText()).replace(/\s+/g, '')
    await page.getByLabel(en.ui.staff.account.totp_code, { exact: true }).fill(totpCode(secret))
    await expectAccessible(page, 'account with the two-factor setup')
    await screenshot(page, 'staff-account-totp-en')
    await page.getByRole('button', { name: en.ui.staff.account.totp_confirm }).click()
    await page.locator('.notice--success', { hasText: en.ui.staff.account.totp_enabled }).waitFor()

    // The tablet comes back from a patrol: its session ended with the password change, and it says so at once.
    await wake(other)
    await other.waitForURL((url) => url.pathname === '/staff/login' && url.searchParams.get('next') === '/staff/inbox')
    await other.locator('.notice', { hasText: en.ui.staff.login.session_ended }).waitFor()
    await other.getByLabel(en.ui.staff.login.email).fill(colleague.email)
    await other.getByLabel(en.ui.staff.login.password, { exact: true }).fill(colleague.password)
    await other.getByRole('button', { name: en.ui.staff.login.submit }).click()
    await other.locator('#login-error', { hasText: en.errors.LOGIN_FAILED }).waitFor()
    await other.getByLabel(en.ui.staff.login.password, { exact: true }).fill(newPassword)
    await other.getByRole('button', { name: en.ui.staff.login.submit }).click()
    // The code just used to turn it on is spent: the next 30-second step's.
    await other.getByLabel(en.ui.staff.login.totp).fill(totpCode(secret, Date.now() + 30_000))
    await other.getByRole('button', { name: en.ui.staff.login.submit }).click()
    await other.waitForURL(/\/staff\/inbox$/)

    // The desk is left alone past the idle limit: woken, it goes to the login page and would come back here.
    await server.db.update(staffSessions).set({ lastSeenAt: new Date(Date.now() - 3 * 3_600_000) }).where(eq(staffSessions.staffId, colleague.id))
    await wake(page)
    await page.waitForURL((url) => url.pathname === '/staff/login' && url.searchParams.get('next') === '/staff/account')
    await page.locator('.notice', { hasText: en.ui.staff.login.session_ended }).waitFor()

    for (const { context, foreignRequests, pageErrors } of [desk, tablet]) {
      expect(foreignRequests).toEqual([])
      expect(pageErrors.filter((e) => !/status of 401/.test(e))).toEqual([])
      await context.close()
    }
  })
})

/** What the browser does when a hidden tab is shown again (its visibilityState is already 'visible' here). */
async function wake(page: Page): Promise<void> {
  await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { dispatchEvent(event: unknown): boolean } }).document
    doc.dispatchEvent(new Event('visibilitychange'))
  })
}
