import { like } from 'drizzle-orm'
import type { Browser } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../../shared/src/locales/en.json' with { type: 'json' }
import { reports } from '../../server/src/db/schema.js'
import { expectAccessible, launchBrowser, newContext, screenshot } from './helpers/browser.js'
import { atStep, next, receiptCode } from './helpers/resident.js'
import { seedQuartiers, startServer, type E2eServer } from './helpers/server.js'

let server: E2eServer
let browser: Browser
let seeded: { id: number; name: string; externalId: string }[]

beforeAll(async () => {
  server = await startServer()
  seeded = await seedQuartiers(server.db, ['Flagey - malibran', 'Matonge'])
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** 4000 × 3000 of noise, which JPEG cannot squeeze: several megabytes, like a phone camera's photo. */
function bigPhoto(): Promise<Buffer> {
  const width = 4000
  const height = 3000
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.imul(i, 2654435761) >>> 24) & 255
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer()
}

describe('a resident who gives their name and types the place', () => {
  it('files a named report without the map, with a camera photo made smaller on the device, and a send whose answer was lost is retried without filing twice', async () => {
    const { context, foreignRequests } = await newContext(browser, { baseURL: server.url, locale: 'en-GB' })
    const page = await context.newPage()
    const description = `Cars park on the pavement every school morning (${Date.now()})`

    await page.goto('/report')
    await atStep(page, 'category')
    await page.locator('input[name="category"][value="traffic"]').check()
    await next(page)

    await atStep(page, 'location')
    await page.getByLabel(en.ui.report.location.address_label).fill('Rue de la Longue Vie 12')
    await page.getByLabel(en.ui.report.location.zone_label).selectOption({ label: 'Matonge' })
    await next(page)

    await atStep(page, 'details')
    await page.getByLabel(en.ui.report.details.description_label).fill(description)
    // A 12-megapixel photo straight from a camera: the browser makes it smaller before anything is sent.
    const camera = await bigPhoto()
    await page.locator('input[type="file"]').setInputFiles({ name: 'DSC_0001.jpg', mimeType: 'image/jpeg', buffer: camera })
    await page.locator('.photo-picker__item', { hasText: en.ui.photos.reduced.split('{{')[0]!.trim() }).waitFor()
    await next(page)

    await atStep(page, 'identity')
    await page.locator('input[name="identity"]').nth(1).check()
    await next(page)
    // Named without contact details: the step explains what is missing.
    await page.locator('#name-error').waitFor()
    await page.getByLabel(en.ui.report.identity.name_label).fill('An Peeters')
    await page.getByLabel(en.ui.report.identity.email_label).fill('an.peeters@example.be')
    await page.getByLabel(en.ui.report.identity.consent_label).check()
    await expectAccessible(page, 'report: identity, named')
    await screenshot(page, 'report-identity-named-en')
    await next(page)

    await atStep(page, 'review')
    // The first answer is lost on the way back: the server filed the report, the browser saw a broken connection.
    let firstReply: { reference: string; receiptCode: string; photoCount: number } | undefined
    let sentBytes = 0
    await page.route('**/api/reports', async (route) => {
      sentBytes = route.request().postDataBuffer()?.length ?? 0
      const response = await route.fetch()
      firstReply = await response.json()
      await route.abort('connectionreset')
    }, { times: 1 })
    await next(page)
    await page.locator('.notice--error', { hasText: en.ui.report.review.not_sent }).waitFor()
    await expect.poll(() => page.locator('.review__description').innerText()).toBe(description)
    await expectAccessible(page, 'report: review after a failed send')
    await screenshot(page, 'report-send-failed-en')

    await next(page)
    await page.waitForURL(/\/report\/receipt$/)
    expect(firstReply?.receiptCode).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
    expect(firstReply?.photoCount).toBe(1)
    expect(sentBytes).toBeGreaterThan(0)
    expect(sentBytes).toBeLessThan(camera.length / 2)
    expect(await receiptCode(page)).toBe(firstReply!.receiptCode)
    await page.locator('main p', { hasText: en.ui.receipt.named_text }).waitFor()
    await expectAccessible(page, 'receipt, named')

    const rows = await server.db.select().from(reports).where(like(reports.description, description))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      reference: firstReply!.reference,
      anonymous: false,
      reporterName: 'An Peeters',
      reporterEmail: 'an.peeters@example.be',
      contactConsent: true,
      addressText: 'Rue de la Longue Vie 12 — Matonge',
      lat: null,
      lon: null,
      language: 'en',
      // The zone chosen from the list routes the report, with no map point.
      zoneId: seeded.find((z) => z.name === 'Matonge')!.id,
      queue: 'zone',
    })
    expect(foreignRequests).toEqual([])
    await context.close()
  })
})
