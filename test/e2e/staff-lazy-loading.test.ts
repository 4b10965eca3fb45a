import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newContext } from './helpers/browser.js'
import { startServer, type E2eServer } from './helpers/server.js'
import { messagesOf } from './staff-helpers.js'

let server: E2eServer
let browser: Browser

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Chunks built from web/src/staff/ (Vite names each after its first module). */
const staffChunk = /\/assets\/(StaffLayout|LoginView|InboxView|StaffReportView|routes-|session-|feed-|ModerationReportView|ZonesView)[^/]*\.js$/

describe('the staff code', () => {
  it('stays out of what a resident downloads, and arrives when a staff page is opened', async () => {
    const nl = await messagesOf('nl')
    const { context } = await newContext(browser, { baseURL: server.url, locale: 'nl-BE' })
    const page = await context.newPage()
    const scripts: { url: string; body: string }[] = []
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return
      scripts.push({ url: response.url(), body: await response.text().catch(() => '') })
    })

    for (const path of ['/', '/report', '/follow-up', '/neighbourhoods']) {
      await page.goto(path)
      await page.locator('main h1').waitFor()
    }
    await page.waitForLoadState('networkidle')
    expect(scripts.length).toBeGreaterThan(0)
    expect(scripts.filter((s) => staffChunk.test(new URL(s.url).pathname)).map((s) => s.url)).toEqual([])
    // Not the staff interface's words either: the residents' locale chunk comes without ui.staff.
    expect(scripts.filter((s) => s.body.includes(nl.ui.staff.nav.label) || s.body.includes(nl.ui.staff.login.session_ended)).map((s) => s.url)).toEqual([])

    await page.goto('/staff')
    await page.getByRole('heading', { name: nl.ui.staff.login.title }).waitFor()
    await page.waitForLoadState('networkidle')
    expect(scripts.some((s) => staffChunk.test(new URL(s.url).pathname))).toBe(true)
    expect(scripts.some((s) => s.body.includes(nl.ui.staff.login.session_ended))).toBe(true)
    await context.close()
  })
})
