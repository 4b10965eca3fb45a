import { createHmac, randomBytes } from 'node:crypto'

/**
 * Receipt codes: 16 decimal digits (log2(10^16) ≈ 53.2 bits) drawn uniformly from a CSPRNG, shown as four groups of
 * four. Only HMAC-SHA256(pepper, digits) is stored, so the database alone cannot reveal or test a code.
 */
export interface Receipt {
  code: string
  hash: string
}

const space = 10n ** 16n
// Largest multiple of 10^16 below 2^64: rejecting draws above it keeps every code equally likely.
const limit = (2n ** 64n / space) * space

export function newReceipt(pepper: string): Receipt {
  let draw: bigint
  do draw = randomBytes(8).readBigUInt64BE()
  while (draw >= limit)
  const digits = (draw % space).toString().padStart(16, '0')
  return { code: digits.match(/.{4}/g)!.join(' '), hash: receiptHash(pepper, digits)! }
}

/** Spaces and dashes are ignored; anything but 16 digits is no code at all (null). */
export function receiptHash(pepper: string, code: string): string | null {
  const digits = code.replace(/[\s-]/g, '')
  if (!/^\d{16}$/.test(digits)) return null
  return createHmac('sha256', pepper).update(`receipt:${digits}`).digest('base64url')
}
