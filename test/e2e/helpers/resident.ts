import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export const fixturePhoto = (name: string) => new URL(`../../../../shared/fixtures/photos/${name}`, import.meta.url).pathname

/** Flagey square, Ixelles: inside the "Flagey - malibran" neighbourhood of the UrbIS fixture. */
export const flagey = { latitude: 50.8275, longitude: 4.3721 }

/** Waits until the step heading says which step is shown (its number, whatever the language). */
export async function atStep(page: Page, step: 'category' | 'location' | 'details' | 'identity' | 'review'): Promise<void> {
  await page.waitForURL(new RegExp(step === 'category' ? '/report(/category)?$' : `/report/${step}$`))
  await page.locator('[data-focus-on-navigate]').waitFor()
}

export async function next(page: Page): Promise<void> {
  await page.locator('main form button[type="submit"]').click()
}

/** Reads the receipt code off the receipt page, as the resident sees it ("1234 5678 9012 3456"). */
export async function receiptCode(page: Page): Promise<string> {
  const text = (await page.locator('.receipt__code').innerText()).replace(/\s+/g, ' ').trim()
  expect(text).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
  return text
}

/** A marker in the page's JavaScript world: gone after a reload, so a test can prove the page never reloaded. */
export async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => { (globalThis as { __nabijMarker?: number }).__nabijMarker = 1 })
}
export async function pageWasNotReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as { __nabijMarker?: number }).__nabijMarker === 1)
}

/** What the page keeps in localStorage under `key` (null when nothing). */
export function stored(page: Page, key: string): Promise<string | null> {
  return page.evaluate((k) => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem(k), key)
}

/** `<html lang dir>` as the page set them. */
export async function htmlLangDir(page: Page): Promise<[string | null, string | null]> {
  const html = page.locator('html')
  return [await html.getAttribute('lang'), await html.getAttribute('dir')]
}
