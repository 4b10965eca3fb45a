import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { reports } from '../../server/src/db/schema.js'
import { issueResidentToken } from '../../server/src/modules/reports/resident-token.js'
import { expectAccessible, launchBrowser, newContext } from './helpers/browser.js'
import { startServer, type E2eServer } from './helpers/server.js'

let server: E2eServer
let browser: Browser
let reference: string

beforeAll(async () => {
  server = await startServer()
  const filed = await server.app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: { category: 'traffic', description: 'Cars park on the zebra crossing every morning', address: 'Rue de la Paix 1, Ixelles', anonymous: false, language: 'fr', contact: { name: 'Amina', email: 'amina@example.be', consent: true } },
  })
  expect(filed.statusCode, filed.body).toBe(201)
  reference = filed.json().reference
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('a named reporter following the link from an email', () => {
  it('opens the report without a receipt code and the token leaves the address bar', async () => {
    const [row] = await server.db.select({ id: reports.id }).from(reports).where(eq(reports.reference, reference))
    const { token } = issueResidentToken(server.config, row!.id)
    const { context } = await newContext(browser, { baseURL: server.url, locale: 'fr-BE' })
    const page = await context.newPage()
    await page.goto(`/follow/#${token}`)
    await expect.poll(() => page.locator('main').innerText(), { timeout: 20_000 }).toContain(reference)
    expect(new URL(page.url()).hash).toBe('')
    await expectAccessible(page, 'follow-up from email link')
    await context.close()
  })
})
