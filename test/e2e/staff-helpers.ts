import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import type { TestStaff } from '../server/helpers/factories.js'
import type { E2eServer } from './helpers/server.js'

export type Messages = typeof import('../../shared/src/locales/en.json')

export async function messagesOf(language: string): Promise<Messages> {
  return (await import(`../../shared/src/locales/${language}.json`, { with: { type: 'json' } })).default as Messages
}

/** Flagey square, Ixelles: inside the "Flagey - Malibran" neighbourhood of the UrbIS fixture. */
export const flagey = { lat: 50.8275, lon: 4.3721 }

/** Logs in through the staff login page, as a person would, and waits for the role's first page. */
export async function logIn(page: Page, staff: Pick<TestStaff, 'email' | 'password'>, messages: Messages): Promise<void> {
  await page.goto('/staff/login')
  await page.getByLabel(messages.ui.staff.login.email).fill(staff.email)
  await page.getByLabel(messages.ui.staff.login.password, { exact: true }).fill(staff.password)
  await page.getByRole('button', { name: messages.ui.staff.login.submit }).click()
  await page.waitForURL((url) => url.pathname !== '/staff/login')
  await page.locator('main h1').waitFor()
}

/** A resident files a report through the public API. */
export async function fileReport(server: E2eServer, body: Record<string, unknown>): Promise<{ reference: string; receiptCode: string }> {
  const res = await server.app.inject({ method: 'POST', url: '/api/reports', payload: { anonymous: true, location: flagey, ...body } })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

/** The resident opens their report with the receipt code and answers (in `language`, as their follow-up page sends it). */
export async function residentReplies(server: E2eServer, receiptCode: string, text: string, language = 'nl'): Promise<void> {
  const session = await server.app.inject({ method: 'POST', url: '/api/receipt/session', payload: { code: receiptCode } })
  expect(session.statusCode, session.body).toBe(200)
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/followup/replies',
    headers: { authorization: `Bearer ${session.json().token}` },
    payload: { text, language },
  })
  expect(res.statusCode, res.body).toBe(201)
}

/** A report with photos, as the report form sends it (multipart: the report as JSON plus the files). */
export async function fileReportWithPhotos(server: E2eServer, body: Record<string, unknown>, photos: string[]): Promise<{ reference: string; receiptCode: string }> {
  const { fixture, multipart } = await import('../server/photos/fixtures.js')
  const { payload, headers } = multipart(
    { report: JSON.stringify({ anonymous: true, location: flagey, ...body }) },
    photos.map((name) => ({ filename: name, type: 'image/jpeg', data: fixture(name) })),
  )
  const res = await server.app.inject({ method: 'POST', url: '/api/reports', payload, headers })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
