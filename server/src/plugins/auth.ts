import { fastifyCookie } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import type { Role } from '@nabij/shared/domain/roles'
import type { Config } from '../config.js'
import type { Db } from '../db/connect.js'
import { CsrfInvalid, Forbidden, SessionExpired, Unauthenticated } from '../errors.js'
import { loadSession, sameToken, sessionAbsoluteMs, sessionCookieName, type StaffPrincipal } from '../modules/staff/sessions.js'

export type { StaffPrincipal } from '../modules/staff/sessions.js'
export { sessionCookieName } from '../modules/staff/sessions.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, or null for residents and the public. */
    staff: StaffPrincipal | null
    /** Why `staff` is null when a session cookie was sent: tells SESSION_EXPIRED from UNAUTHENTICATED. */
    sessionState: 'none' | 'ended' | 'active'
    csrfToken: string | null
    sessionExpiresAt: Date | null
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Reads the staff session cookie on every request. Residents never get a cookie, so their requests cost no query;
 * `requireStaff` decides per route who may pass.
 */
export const authPlugin = fp<{ db: Db; config: Config }>(async (app, { db }) => {
  await app.register(fastifyCookie)
  app.decorateRequest('staff', null)
  app.decorateRequest('sessionState', 'none')
  app.decorateRequest('csrfToken', null)
  app.decorateRequest('sessionExpiresAt', null)
  app.addHook('onRequest', async (req) => {
    const value = req.cookies[sessionCookieName]
    if (!value) return
    const found = await loadSession(db, value)
    req.sessionState = found.state
    if (found.state === 'active') {
      req.staff = found.session.staff
      req.csrfToken = found.session.csrfToken
      req.sessionExpiresAt = found.session.expiresAt
    }
  })
}, { name: 'auth', dependencies: ['language'] })

/**
 * preHandler for staff routes: 401 without a live session, 403 for a role not listed (none listed = any staff),
 * and for writes 403 CSRF_INVALID unless `x-csrf-token` repeats the session's token (double submit: a cross-site
 * form can send the cookie but cannot read the token).
 */
export function requireStaff(...roles: Role[]): preHandlerAsyncHookHandler {
  return async function staffGuard(req: FastifyRequest, _reply: FastifyReply) {
    if (!req.staff) throw req.sessionState === 'ended' ? new SessionExpired() : new Unauthenticated()
    if (!safeMethods.has(req.method)) {
      const header = req.headers['x-csrf-token']
      if (!sameToken(typeof header === 'string' ? header : undefined, req.csrfToken ?? '')) throw new CsrfInvalid()
    }
    if (roles.length > 0 && !roles.includes(req.staff.role)) throw new Forbidden()
  }
}

/** Cookie options of the session: HttpOnly, SameSite=Lax, Secure when served over https. */
export function sessionCookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies, maxAge: Math.floor(sessionAbsoluteMs / 1000) }
}

/** For the websocket upgrade, which has no preHandler: the staff member behind a raw Cookie header, or null. */
export async function staffFromCookieHeader(db: Db, cookieHeader: string | undefined): Promise<StaffPrincipal | null> {
  if (!cookieHeader) return null
  const value = fastifyCookie.parse(cookieHeader)[sessionCookieName]
  const found = await loadSession(db, value)
  return found.state === 'active' ? found.session.staff : null
}
