import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, staffSessions, staffUsers } from '../../../server/src/db/schema.js'
import { sessionIdOf } from '../../../server/src/modules/staff/sessions.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs } from '../helpers/factories.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

describe('staff session', () => {
  it('logs in with a hashed password and sets an HttpOnly SameSite=Lax cookie whose hash alone is stored', async () => {
    const staff = await aStaff(t.db, { role: 'moderator' })
    expect(staff.passwordHash).toMatch(/^\$argon2id\$/)
    const res = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email.toUpperCase(), password: staff.password } })

    expect(res.statusCode).toBe(200)
    const cookie = res.cookies.find((c) => c.name === 'nabij_session')!
    expect(cookie.httpOnly).toBe(true)
    expect(cookie.sameSite).toBe('Lax')
    expect(cookie.secure).toBeFalsy()
    const body = res.json()
    expect(body.staff).toMatchObject({ id: staff.id, role: 'moderator', totpEnabled: false })
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/)
    const rows = await t.db.select().from(staffSessions).where(eq(staffSessions.staffId, staff.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]!.id).toBe(sessionIdOf(cookie.value))
    expect(rows[0]!.id).not.toBe(cookie.value)
  })

  it('returns the signed-in staff member and the same CSRF token from GET /api/staff/me', async () => {
    const staff = await aStaff(t.db, { role: 'admin' })
    const login = await loginAs(t.app, staff)
    const res = await t.app.inject({ url: '/api/staff/me', headers: { cookie: login.cookie } })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ staff: { id: staff.id, email: staff.email, role: 'admin' }, csrfToken: login.csrfToken })
  })

  it('answers UNAUTHENTICATED without a cookie and with an unknown one', async () => {
    const none = await t.app.inject({ url: '/api/staff/me?lang=en' })
    expect(none.statusCode).toBe(401)
    expect(none.json()).toEqual({ code: 'UNAUTHENTICATED', message: 'Please log in.' })
    const unknown = await t.app.inject({ url: '/api/staff/me', headers: { cookie: 'nabij_session=made-up' } })
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json().code).toBe('UNAUTHENTICATED')
  })

  it('refuses a wrong password with LOGIN_FAILED and an unknown address the same way', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const wrong = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email, password: 'not the password at all' } })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().code).toBe('LOGIN_FAILED')
    const unknown = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: 'nobody@nabij.test', password: 'whatever it is' } })
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json().code).toBe('LOGIN_FAILED')
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.staffId, staff.id))
    expect(audits.map((a) => a.action)).toContain('session.login_failed')
  })

  it('logs out by revoking the session server-side', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const login = await loginAs(t.app, staff)
    const out = await t.app.inject({ method: 'DELETE', url: '/api/staff/session', headers: login.headers })
    expect(out.statusCode).toBe(204)
    const again = await t.app.inject({ url: '/api/staff/me', headers: { cookie: login.cookie } })
    expect(again.statusCode).toBe(401)
    expect(again.json().code).toBe('SESSION_EXPIRED')
  })

  it('refuses a write without the CSRF token, or with another session\'s token', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const login = await loginAs(t.app, staff)
    const other = await loginAs(t.app, await aStaff(t.db, { role: 'officer' }))
    const missing = await t.app.inject({ method: 'DELETE', url: '/api/staff/session', headers: { cookie: login.cookie } })
    expect(missing.statusCode).toBe(403)
    expect(missing.json().code).toBe('CSRF_INVALID')
    const foreign = await t.app.inject({ method: 'DELETE', url: '/api/staff/session', headers: { cookie: login.cookie, 'x-csrf-token': other.csrfToken } })
    expect(foreign.statusCode).toBe(403)
    expect(foreign.json().code).toBe('CSRF_INVALID')
    const me = await t.app.inject({ url: '/api/staff/me', headers: { cookie: login.cookie } })
    expect(me.statusCode).toBe(200)
  })

  it('ends every session of a disabled account at once', async () => {
    const staff = await aStaff(t.db, { role: 'partner' })
    const login = await loginAs(t.app, staff)
    await t.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, staff.id))
    const res = await t.app.inject({ url: '/api/staff/me', headers: { cookie: login.cookie } })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('SESSION_EXPIRED')
  })
})
