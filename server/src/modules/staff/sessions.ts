import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Role } from '@nabij/shared/domain/roles'
import type { Db } from '../../db/connect.js'
import { staffSessions, staffUsers } from '../../db/schema.js'

export const sessionCookieName = 'nabij_session'
/** Absolute lifetime: a working day and a bit; the idle limit ends a forgotten session on a shared desk sooner. */
export const sessionAbsoluteMs = 12 * 3_600_000
export const sessionIdleMs = 2 * 3_600_000
const lastSeenRefreshMs = 60_000

/** The staff member acting in a request, as every module sees them. */
export interface StaffPrincipal {
  id: number
  role: Role
  displayName: string
  language: string
  sessionId: string
}

export interface LoadedSession {
  staff: StaffPrincipal
  csrfToken: string
  expiresAt: Date
}

export type SessionLookup = { state: 'none' } | { state: 'ended' } | { state: 'active'; session: LoadedSession }

/** The database keeps only SHA-256 of the cookie value: a leaked table gives no usable session. */
export function sessionIdOf(cookieValue: string): string {
  return createHash('sha256').update(cookieValue).digest('hex')
}

export async function createSession(db: Db, staffId: number, now = new Date()): Promise<{ cookieValue: string; csrfToken: string; expiresAt: Date }> {
  const cookieValue = randomBytes(32).toString('base64url')
  const csrfToken = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + sessionAbsoluteMs)
  await db.insert(staffSessions).values({ id: sessionIdOf(cookieValue), staffId, csrfToken, expiresAt, lastSeenAt: now, createdAt: now })
  return { cookieValue, csrfToken, expiresAt }
}

/** Finds the session behind a cookie value; an ended one (expired, idle, revoked, account disabled) is told apart. */
export async function loadSession(db: Db, cookieValue: string | undefined, now = new Date()): Promise<SessionLookup> {
  if (!cookieValue || cookieValue.length > 200) return { state: 'none' }
  const id = sessionIdOf(cookieValue)
  const [row] = await db
    .select({
      id: staffSessions.id,
      csrfToken: staffSessions.csrfToken,
      expiresAt: staffSessions.expiresAt,
      lastSeenAt: staffSessions.lastSeenAt,
      revokedAt: staffSessions.revokedAt,
      staffId: staffUsers.id,
      role: staffUsers.role,
      displayName: staffUsers.displayName,
      language: staffUsers.language,
      disabledAt: staffUsers.disabledAt,
    })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.staffId))
    .where(eq(staffSessions.id, id))
  if (!row) return { state: 'none' }
  const ended = row.revokedAt !== null || row.disabledAt !== null || row.expiresAt.getTime() <= now.getTime()
    || now.getTime() - row.lastSeenAt.getTime() > sessionIdleMs
  if (ended) return { state: 'ended' }
  if (now.getTime() - row.lastSeenAt.getTime() > lastSeenRefreshMs) {
    await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, id))
  }
  return {
    state: 'active',
    session: {
      staff: { id: row.staffId, role: row.role, displayName: row.displayName, language: row.language, sessionId: row.id },
      csrfToken: row.csrfToken,
      expiresAt: row.expiresAt,
    },
  }
}

export async function revokeSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.update(staffSessions).set({ revokedAt: now }).where(and(eq(staffSessions.id, sessionId), isNull(staffSessions.revokedAt)))
}

/** Ends every open session of a staff member, optionally keeping the one in use (after a password change). */
export async function revokeAllSessions(db: Db, staffId: number, exceptSessionId?: string, now = new Date()): Promise<void> {
  await db.update(staffSessions).set({ revokedAt: now }).where(and(
    eq(staffSessions.staffId, staffId),
    isNull(staffSessions.revokedAt),
    exceptSessionId ? sql`${staffSessions.id} <> ${exceptSessionId}` : undefined,
  ))
}

export function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
