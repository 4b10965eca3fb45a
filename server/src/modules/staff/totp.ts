import { Secret, TOTP } from 'otpauth'

/** RFC 6238 with the defaults every authenticator app understands: SHA-1, 6 digits, 30 s. */
const period = 30

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

export function totpUri(secret: string, account: string): string {
  return new TOTP({ issuer: 'Nabij', label: account, secret: Secret.fromBase32(secret), period }).toString()
}

/** The time step a code belongs to (±1 step for clock drift), or null. Callers refuse a step already used. */
export function totpStep(secret: string, code: string, now = Date.now()): number | null {
  let parsed: Secret
  try {
    parsed = Secret.fromBase32(secret)
  } catch {
    return null
  }
  const delta = TOTP.validate({ token: code, secret: parsed, period, timestamp: now, window: 1 })
  return delta === null ? null : TOTP.counter({ period, timestamp: now }) + delta
}

/** For tests and the demo: the code an authenticator app would show. */
export function totpCode(secret: string, now = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), period, timestamp: now })
}
