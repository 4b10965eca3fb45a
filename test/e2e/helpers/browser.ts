import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { expect } from 'vitest'

const require = createRequire(import.meta.url)
const axeSource: string = (require('axe-core') as { source: string }).source

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const screenshotDir = fileURLToPath(new URL('../screenshots/', import.meta.url))

/** Debian's Chromium, headless, with every background call to Google switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-quic',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export interface ContextOptions extends BrowserContextOptions {
  /** Origin that a request may go to; any other origin fails the test (no third parties, ever). */
  baseURL: string
}

export interface Tracked {
  context: BrowserContext
  /** Requests that left the app's origin: must stay empty. */
  foreignRequests: string[]
  /** Console errors and uncaught page errors. */
  pageErrors: string[]
}

/**
 * A browser context that records every request to another origin and every page error. `bypassCSP` lets axe be
 * injected as an inline script; the app itself never needs it.
 */
export async function newContext(browser: Browser, options: ContextOptions): Promise<Tracked> {
  const context = await browser.newContext({ bypassCSP: true, ...options })
  const origin = new URL(options.baseURL).origin
  const foreignRequests: string[] = []
  const pageErrors: string[] = []
  context.on('request', (req) => {
    const url = req.url()
    if (/^(data|blob|about):/.test(url)) return
    if (new URL(url).origin !== origin) foreignRequests.push(url)
  })
  context.on('page', (page) => watchErrors(page, pageErrors))
  return { context, foreignRequests, pageErrors }
}

function watchErrors(page: Page, sink: string[]): void {
  page.on('pageerror', (err) => sink.push(`pageerror: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const text = msg.text()
    // A 404 of an API route that is not built yet shows as a console error; pages treat it as an empty state.
    if (/Failed to load resource: the server responded with a status of 404/.test(text)) return
    if (/WebSocket connection to .* failed/.test(text)) return
    sink.push(`console: ${text}`)
  })
}

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; html: string; failureSummary?: string }[]
}

/** Runs axe-core with the WCAG 2.0/2.1 A and AA rules and returns the violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // These callbacks run in the page; `globalThis` there is the window (the test project has no DOM typings).
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined')
  if (!loaded) await page.addScriptTag({ content: axeSource })
  return page.evaluate(async () => {
    const page = globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> }; document: unknown }
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })),
    }))
  })
}

/** Fails with a readable list when axe finds anything. */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  const violations = await axeViolations(page)
  const summary = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.html}`).join('\n')}`)
  expect(summary, `axe violations on ${label}`).toEqual([])
}

/** Saves a full-page screenshot as test/e2e/screenshots/<name>.png (the folder is git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true })
}
