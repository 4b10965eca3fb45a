import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testConfig } from '../../../server/src/config.js'
import { contentSecurityPolicy, tileSource } from '../../../server/src/plugins/security.js'
import { startApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

/** A CSP header as a map of directive → sources. */
function directives(header: string | string[] | number | undefined): Record<string, string[]> {
  return Object.fromEntries(String(header ?? '').split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/)
    return [name!, sources]
  }))
}

describe('security headers', () => {
  it('send a strict content security policy with every answer: pages, API and errors', async () => {
    for (const url of ['/', '/report', '/api/categories', '/api/does-not-exist', '/healthz']) {
      const res = await t.app.inject(url)
      const csp = directives(res.headers['content-security-policy'])
      expect(csp['default-src'], url).toEqual(["'self'"])
      expect(csp['script-src'], url).toEqual(["'self'"])
      expect(csp['style-src'], url).toEqual(["'self'"])
      expect(csp['img-src'], url).toEqual(["'self'", 'data:', 'blob:'])
      expect(csp['connect-src'], url).toEqual(["'self'", 'ws://localhost:3000'])
      expect(csp['frame-ancestors'], url).toEqual(["'none'"])
      expect(csp['object-src'], url).toEqual(["'none'"])
      expect(csp['base-uri'], url).toEqual(["'none'"])
      expect(String(res.headers['content-security-policy']), url).not.toMatch(/unsafe-inline|unsafe-eval/)
    }
  })

  it('send no referrer, limit geolocation to our own pages and switch off what the app never uses', async () => {
    const res = await t.app.inject('/api/categories')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const permissions = String(res.headers['permissions-policy']).split(/,\s*/)
    expect(permissions).toContain('geolocation=(self)')
    expect(permissions).toContain('camera=()')
    expect(permissions).toContain('microphone=()')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
    expect(res.headers['x-powered-by']).toBeUndefined()
  })

  it('ask for HTTPS only when the public address is https', async () => {
    expect((await t.app.inject('/healthz')).headers['strict-transport-security']).toBeUndefined()
    expect(directives((await t.app.inject('/healthz')).headers['content-security-policy'])['upgrade-insecure-requests']).toBeUndefined()

    const secure = await startApp({ publicUrl: 'https://nabij.example.be', secureCookies: true })
    const res = await secure.app.inject('/healthz')
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
    const csp = directives(res.headers['content-security-policy'])
    expect(csp['upgrade-insecure-requests']).toEqual([])
    expect(csp['connect-src']).toEqual(["'self'", 'wss://nabij.example.be'])
    await secure.close()
  })

  it('let the map load tiles from the configured tile server only', async () => {
    const withTiles = await startApp({ mapTileUrl: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png' })
    const csp = directives((await withTiles.app.inject('/report')).headers['content-security-policy'])
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://*.tile.openstreetmap.org'])
    expect(csp['connect-src']).toEqual(["'self'", 'ws://localhost:3000'])
    await withTiles.close()

    expect(tileSource('https://tiles.example.be/styles/{z}/{x}/{y}.png')).toBe('https://tiles.example.be')
    expect(tileSource('http://localhost:8080/{z}/{x}/{y}.png')).toBe('http://localhost:8080')
    // A placeholder that is not the leftmost label cannot be a CSP host: the scheme is allowed instead.
    expect(tileSource('https://tiles-{s}.example.be/{z}/{x}/{y}.png')).toBe('https:')
    // A same-origin path needs nothing beyond 'self'.
    expect(tileSource('/tiles/{z}/{x}/{y}.png')).toBeNull()
    expect(contentSecurityPolicy(testConfig({ mapTileUrl: '/tiles/{z}/{x}/{y}.png' }))['img-src']).toEqual(["'self'", 'data:', 'blob:'])
  })
})
