import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs } from '../helpers/factories.js'
import { operationsOf } from './requests.js'

let t: TestApp
let cookie: string
beforeAll(async () => {
  t = await startApp()
  cookie = (await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))).cookie
})
afterAll(() => t.close())

describe('?lang=, found by the property test', () => {
  it('is accepted by every operation without parameters of its own, closed query schemas included', async () => {
    const operations = operationsOf((await t.app.inject('/api/docs/json')).json())
      .filter((op) => op.method === 'GET' && op.parameters.every((p) => p.in === 'query' && (!p.required || p.schema.default !== undefined)))
    expect(operations.length).toBeGreaterThan(10)
    for (const op of operations) {
      const res = await t.app.inject({ method: 'GET', url: `${op.path}?lang=fr`, headers: { cookie } })
      const what = `${op.method} ${op.path}: ${res.body.slice(0, 200)}`
      // Never refused for the parameter. The admin has no photo: that route answers its own 404, in French.
      if (op.path === '/api/staff/me/photo') expect(res.json(), what).toEqual({ code: 'NOT_FOUND', message: fr.errors.NOT_FOUND })
      else expect(res.statusCode, what).toBeLessThan(400)
    }
  })

  it('leaves the routes\' own checks, and the routes that declare it, as they were', async () => {
    const res = await t.app.inject('/api/public/reports?lang=fr&page=0')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: fr.errors.VALIDATION_FAILED })
    const page = await t.app.inject('/api/public/subscriptions/confirm?token=nope&lang=fr')
    expect(page.body).toContain('<html lang="fr"')
  })
})
