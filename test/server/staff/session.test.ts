import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, staffSessions, staffUsers } from '../../../server/src/db/schema.js'
import { sessionIdOf } from '../../../server/src/modules/staff/sessions.js'
import { totpCode } from '../../../server/src/modules/staff/totp.js'
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

  it('ends a session past its 12-hour lifetime', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const login = await loginAs(t.app, staff)
    await t.db.update(staffSessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(staffSessions.staffId, staff.id))
    const res = await t.app.inject({ url: '/api/staff/me?lang=en', headers: { cookie: login.cookie } })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ code: 'SESSION_EXPIRED', message: 'Your session has expired. Please log in again.' })
  })

  it('ends a session left idle for more than two hours', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const login = await loginAs(t.app, staff)
    await t.db.update(staffSessions).set({ lastSeenAt: new Date(Date.now() - 2.5 * 3_600_000) }).where(eq(staffSessions.staffId, staff.id))
    const res = await t.app.inject({ url: '/api/staff/me', headers: { cookie: login.cookie } })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('SESSION_EXPIRED')
  })

  it('sets the Secure flag when the site is served over https', async () => {
    const secure = await startApp({ secureCookies: true })
    try {
      const staff = await aStaff(secure.db, { role: 'officer' })
      const res = await secure.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email, password: staff.password } })
      expect(res.cookies.find((c) => c.name === 'nabij_session')!.secure).toBe(true)
    } finally {
      await secure.close()
    }
  })
})

describe('login rate limit', () => {
  it('refuses more than 30 login attempts a minute from one address with RATE_LIMITED', async () => {
    const attempt = () => t.app.inject({ method: 'POST', url: '/api/staff/session', remoteAddress: '192.0.2.99', payload: { email: 'sprayed@nabij.test', password: 'Summer2026!' } })
    for (let i = 0; i < 30; i++) expect((await attempt()).json().code).toBe('LOGIN_FAILED')
    const limited = await attempt()
    expect(limited.statusCode).toBe(429)
    expect(limited.json().code).toBe('RATE_LIMITED')
  })
})

describe('lockout', () => {
  it('locks an account after five wrong passwords, even against the right one, until the lock passes', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const attempt = (password: string) => t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email, password } })
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong guess number ${i}`)).json().code).toBe('LOGIN_FAILED')

    const locked = await attempt(staff.password)
    expect(locked.statusCode).toBe(423)
    expect(locked.json().code).toBe('ACCOUNT_LOCKED')
    const [row] = await t.db.select().from(staffUsers).where(eq(staffUsers.id, staff.id))
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000)
    expect((await t.db.select().from(auditLog).where(eq(auditLog.staffId, staff.id))).map((a) => a.action)).toContain('session.locked')

    await t.db.update(staffUsers).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(staffUsers.id, staff.id))
    expect((await attempt(staff.password)).statusCode).toBe(200)
  })

  it('lets an admin unlock an account', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    await t.db.update(staffUsers).set({ lockedUntil: new Date(Date.now() + 3_600_000) }).where(eq(staffUsers.id, staff.id))
    const admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
    const res = await t.app.inject({ method: 'PATCH', url: `/api/staff/users/${staff.id}`, headers: admin.headers, payload: { unlock: true } })
    expect(res.statusCode).toBe(200)
    expect(res.json().lockedUntil).toBeNull()
    await loginAs(t.app, staff)
  })
})

describe('two-factor login (TOTP)', () => {
  it('enables TOTP with a code from the app, then asks for it at login', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const login = await loginAs(t.app, staff)
    const setup = await t.app.inject({ method: 'POST', url: '/api/staff/me/totp/setup', headers: login.headers })
    expect(setup.statusCode).toBe(200)
    const { secret, uri } = setup.json()
    expect(uri).toMatch(/^otpauth:\/\/totp\/Nabij:/)

    const now = Date.now()
    const code = totpCode(secret, now)
    const wrong = await t.app.inject({ method: 'POST', url: '/api/staff/me/totp', headers: login.headers, payload: { secret, code: code === '000000' ? '111111' : '000000' } })
    expect(wrong.json().code).toBe('TOTP_INVALID')
    const enabled = await t.app.inject({ method: 'POST', url: '/api/staff/me/totp', headers: login.headers, payload: { secret, code } })
    expect(enabled.statusCode).toBe(204)

    const without = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email, password: staff.password } })
    expect(without.statusCode).toBe(401)
    expect(without.json().code).toBe('TOTP_REQUIRED')
    expect(without.cookies).toHaveLength(0)

    // The code used to enable it cannot be replayed; the next time step's code works.
    const replay = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email, password: staff.password, totp: code } })
    expect(replay.json().code).toBe('TOTP_INVALID')
    const next = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email, password: staff.password, totp: totpCode(secret, now + 30_000) } })
    expect(next.statusCode).toBe(200)
    expect(next.json().staff.totpEnabled).toBe(true)
  })

  it('refuses a wrong code and counts it as a failed login', async () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
    const staff = await aStaff(t.db, { role: 'admin', totpSecret: secret })
    const wrongCode = totpCode(secret) === '123456' ? '654321' : '123456'
    const res = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email, password: staff.password, totp: wrongCode } })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('TOTP_INVALID')
    const [row] = await t.db.select().from(staffUsers).where(eq(staffUsers.id, staff.id))
    expect(row!.failedLogins).toBe(1)
  })

  it('disables TOTP only with the password', async () => {
    const secret = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU'
    const staff = await aStaff(t.db, { role: 'officer', totpSecret: secret })
    const login = await loginAs(t.app, staff)
    const wrong = await t.app.inject({ method: 'DELETE', url: '/api/staff/me/totp', headers: login.headers, payload: { password: 'not my password at all' } })
    expect(wrong.statusCode).toBe(401)
    const right = await t.app.inject({ method: 'DELETE', url: '/api/staff/me/totp', headers: login.headers, payload: { password: staff.password } })
    expect(right.statusCode).toBe(204)
    await loginAs(t.app, { ...staff, totpSecret: null })
  })
})

describe('password change', () => {
  it('refuses a short password with PASSWORD_TOO_WEAK', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const login = await loginAs(t.app, staff)
    const res = await t.app.inject({ method: 'PUT', url: '/api/staff/me/password', headers: login.headers, payload: { currentPassword: staff.password, newPassword: 'short' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('PASSWORD_TOO_WEAK')
  })

  it('changes the password and ends every other session of the account', async () => {
    const staff = await aStaff(t.db, { role: 'officer' })
    const here = await loginAs(t.app, staff)
    const there = await loginAs(t.app, staff)
    const newPassword = 'a much longer passphrase 2026'
    const res = await t.app.inject({ method: 'PUT', url: '/api/staff/me/password', headers: here.headers, payload: { currentPassword: staff.password, newPassword } })
    expect(res.statusCode).toBe(204)
    expect((await t.app.inject({ url: '/api/staff/me', headers: { cookie: here.cookie } })).statusCode).toBe(200)
    expect((await t.app.inject({ url: '/api/staff/me', headers: { cookie: there.cookie } })).json().code).toBe('SESSION_EXPIRED')
    await loginAs(t.app, { ...staff, password: newPassword })
  })
})

describe('staff accounts (admin)', () => {
  it('creates an account that can log in, and refuses a second one with the same address', async () => {
    const admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
    const payload = { email: 'New.Officer@nabij.test', displayName: 'New Officer', role: 'officer', password: 'the new officer passphrase', language: 'fr', publicFirstName: 'Lea', showOnZonePage: true }
    const res = await t.app.inject({ method: 'POST', url: '/api/staff/users', headers: admin.headers, payload })
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({ email: 'New.Officer@nabij.test', role: 'officer', language: 'fr', disabled: false, totpEnabled: false })
    expect(res.json()).not.toHaveProperty('passwordHash')
    await loginAs(t.app, { email: 'new.officer@nabij.test', password: payload.password, totpSecret: null })

    const again = await t.app.inject({ method: 'POST', url: '/api/staff/users', headers: admin.headers, payload: { ...payload, email: 'new.officer@NABIJ.test' } })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('EMAIL_TAKEN')
    const list = await t.app.inject({ url: '/api/staff/users', headers: { cookie: admin.cookie } })
    expect(list.json().some((u: { email: string }) => u.email === 'New.Officer@nabij.test')).toBe(true)
  })

  it('disables an account: its sessions end and it cannot log in', async () => {
    const admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
    const staff = await aStaff(t.db, { role: 'moderator' })
    const login = await loginAs(t.app, staff)
    const res = await t.app.inject({ method: 'PATCH', url: `/api/staff/users/${staff.id}`, headers: admin.headers, payload: { disabled: true } })
    expect(res.json().disabled).toBe(true)
    expect((await t.app.inject({ url: '/api/staff/me', headers: { cookie: login.cookie } })).statusCode).toBe(401)
    const again = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: { email: staff.email, password: staff.password } })
    expect(again.statusCode).toBe(403)
    expect(again.json().code).toBe('ACCOUNT_DISABLED')
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.action, 'staff.disable'))
    expect(audits.at(-1)).toMatchObject({ targetId: String(staff.id) })
  })
})
