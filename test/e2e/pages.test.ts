import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ar from '../../shared/src/locales/ar.json' with { type: 'json' }
import fr from '../../shared/src/locales/fr.json' with { type: 'json' }
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { htmlLangDir, stored } from './helpers/resident.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'

let server: E2eServer
let browser: Browser
let zoneId: number

beforeAll(async () => {
  server = await startServer()
  const zones = await seedQuartiers(server.db, ['Flagey - malibran', 'Matonge'])
  zoneId = zones[0]!.id
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Every page a resident or visitor can open, with what shows that it finished rendering. */
const pages = () => [
  { name: 'home', path: '/', ready: 'main h1' },
  { name: 'report', path: '/report', ready: 'input[name="category"]' },
  { name: 'follow-up', path: '/follow-up', ready: '#receipt-code' },
  { name: 'neighbourhoods', path: '/neighbourhoods', ready: '.zone-list li' },
  { name: 'neighbourhood', path: `/neighbourhoods/${zoneId}`, ready: '.geo-map' },
  { name: 'staff', path: '/staff', ready: 'main h1' },
  { name: 'not-found', path: '/no/such/page', ready: 'main h1' },
]

async function open(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(path)
  await page.locator(ready).first().waitFor()
}

describe('every page', () => {
  it.each(['fr', 'ar'])('passes axe (WCAG 2.1 A and AA) in %s', async (locale) => {
    const { context, foreignRequests } = await newContext(browser, { baseURL: server.url, locale })
    const page = await context.newPage()
    for (const { name, path, ready } of pages()) {
      await open(page, path, ready)
      await expectAccessible(page, `${name} (${locale})`)
      if (name === 'staff' || name === 'not-found') await screenshot(page, `${name}-${locale}`)
    }
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  it.each(['nl', 'ar'])('fits a 320 px wide screen without sideways scrolling in %s', async (locale) => {
    const { context } = await newContext(browser, { baseURL: server.url, locale, viewport: { width: 320, height: 640 } })
    const page = await context.newPage()
    for (const { name, path, ready } of pages()) {
      await open(page, path, ready)
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement
        return root.scrollWidth - root.clientWidth
      })
      expect(overflow, `${name} scrolls sideways at 320 px`).toBeLessThanOrEqual(0)
      await screenshot(page, `narrow-${name}-${locale}`)
    }
    await context.close()
  })

  it('stays usable at 200 % zoom', async () => {
    // 200 % zoom of a 1280 px window: the page lays out in 640 CSS pixels, each drawn twice as large.
    const { context } = await newContext(browser, { baseURL: server.url, locale: 'nl', viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 })
    const page = await context.newPage()
    for (const { name, path, ready } of pages()) {
      await open(page, path, ready)
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement
        return root.scrollWidth - root.clientWidth
      })
      expect(overflow, `${name} scrolls sideways at 200 %`).toBeLessThanOrEqual(0)
      await expectAccessible(page, `${name} at 200 %`)
    }
    await context.close()
  })

  it('runs under a strict content security policy: nothing inline, nothing from elsewhere', async () => {
    // No bypassCSP here: the browser enforces the policy and reports every violation on the console.
    const context = await browser.newContext({ baseURL: server.url, locale: 'nl' })
    const page = await context.newPage()
    const violations: string[] = []
    page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text()) })
    const response = await page.goto('/')
    const policy = response?.headers()['content-security-policy'] ?? ''
    expect(policy).toMatch(/script-src 'self'/)
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/)
    for (const { path, ready } of pages()) await open(page, path, ready)
    await page.goto('/report')
    await page.locator('input[name="category"][value="drugs"]').check()
    await page.locator('main form button[type="submit"]').click()
    await page.locator('.leaflet-container .leaflet-interactive').first().waitFor()
    expect(violations).toEqual([])
    await context.close()
  })
})

describe('the language switcher', () => {
  it('switches the whole page, right-to-left for Arabic, and is remembered after a reload', async () => {
    const { context } = await newContext(browser, { baseURL: server.url, locale: 'fr-BE' })
    const page = await context.newPage()
    await open(page, '/report', 'input[name="category"]')
    expect(await htmlLangDir(page)).toEqual(['fr', 'ltr'])
    expect(await page.locator('legend').first().innerText()).toBe(fr.ui.report.category.legend)

    await page.locator('#language-select').selectOption('ar')
    await expect.poll(() => htmlLangDir(page)).toEqual(['ar', 'rtl'])
    await expect.poll(() => page.locator('legend').first().innerText()).toBe(ar.ui.report.category.legend)
    await expect.poll(() => page.title()).toContain(ar.ui.nav.report)
    expect(await stored(page, 'nabij.language')).toBe('ar')

    await page.reload()
    await page.locator('input[name="category"]').first().waitFor()
    expect(await htmlLangDir(page)).toEqual(['ar', 'rtl'])
    expect(await page.locator('#language-select').inputValue()).toBe('ar')

    // Arrows that point somewhere turn round in Arabic: the inline one of a text link as well as a button's.
    await open(page, `/neighbourhoods/${zoneId}`, '.geo-map')
    // A transform only renders on a box that is not plain inline, whatever getComputedStyle says of it.
    const mirrored = (selector: string) => page.locator(selector).first().evaluate((el) => {
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { transform: string; display: string } }).getComputedStyle(el)
      return { transform: style.transform, transformable: style.display !== 'inline' }
    })
    expect(await mirrored('a .mirror')).toEqual({ transform: 'matrix(-1, 0, 0, 1, 0, 0)', transformable: true })
    await context.close()
  })

  it('asks the server in the chosen language, so its error messages come translated', async () => {
    const { context } = await newContext(browser, { baseURL: server.url, locale: 'fr' })
    const page = await context.newPage()
    await open(page, '/follow-up', '#receipt-code')
    await page.locator('#receipt-code').fill('0000 0000 0000 0000')
    await page.locator('main form button[type="submit"]').click()
    await expect.poll(() => page.locator('#receipt-code-error').innerText()).toBe(fr.errors.RECEIPT_INVALID)
    await expectAccessible(page, 'follow-up with a wrong code')
    await context.close()
  })
})
