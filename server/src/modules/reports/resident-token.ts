import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Config } from '../../config.js'
import { ResidentTokenInvalid } from '../../errors.js'

/**
 * The resident's follow-up token, obtained with a receipt code: stateless and short-lived, HMAC-signed with the
 * session secret, sent as a bearer token (never a cookie, so nothing follows the resident around). It carries only
 * the report id and the expiry. Shape: `r1.<reportId>.<expiry, unix seconds>.<signature>`.
 */
export const residentTokenLifetimeMs = 2 * 60 * 60 * 1000

function signature(config: Config, payload: string): Buffer {
  return createHmac('sha256', config.sessionSecret).update(`nabij:resident-token:${payload}`).digest()
}

export function issueResidentToken(config: Config, reportId: number, now = Date.now(), lifetimeMs = residentTokenLifetimeMs): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now + lifetimeMs)
  const payload = `r1.${reportId}.${Math.floor(expiresAt.getTime() / 1000)}`
  return { token: `${payload}.${signature(config, payload).toString('base64url')}`, expiresAt }
}

/** The report id the token grants, or null when it is malformed, forged or expired. */
export function verifyResidentToken(config: Config, token: string, now = Date.now()): number | null {
  const match = /^(r1\.(\d{1,15})\.(\d{1,12}))\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!match) return null
  const [, payload, id, expiry, sent] = match
  const expected = signature(config, payload!)
  const given = Buffer.from(sent!, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  if (Number(expiry) * 1000 <= now) return null
  return Number(id)
}

export function residentReportOf(config: Config, authorization: string | undefined): number {
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const reportId = token ? verifyResidentToken(config, token) : null
  if (reportId === null) throw new ResidentTokenInvalid()
  return reportId
}
