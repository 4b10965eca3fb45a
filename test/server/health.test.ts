import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from './helpers/app.js'
import { engine } from './helpers/database.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

describe('health', () => {
  it('answers liveness', async () => {
    const res = await t.app.inject('/healthz')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
  })

  it('reports readiness with the engine in use', async () => {
    const res = await t.app.inject('/readyz')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok', database: engine })
  })

  it('answers an unknown API path with a stable code in the asked language', async () => {
    const res = await t.app.inject('/api/does-not-exist?lang=en')
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ code: 'NOT_FOUND', message: 'We could not find what you asked for.' })
  })
})
