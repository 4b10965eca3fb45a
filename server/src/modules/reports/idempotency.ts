import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { CreateReportReply } from '@nabij/shared/api/reports'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { idempotencyKeys, reports } from '../../db/schema.js'
import { IdempotencyConflict } from '../../errors.js'

export const idempotencyWindowMs = 24 * 60 * 60 * 1000

/**
 * A client's Idempotency-Key, as we keep it. The stored reply holds the receipt code, so it is sealed (AES-256-GCM)
 * with a key derived from the Idempotency-Key itself, which is never stored: the database alone reveals no code, yet
 * the retry that presents the key gets the very first answer back.
 */
export interface IdempotencyClaim {
  keyHash: string
  requestHash: string
  sealKey: Buffer
}

export function idempotencyClaim(config: Config, key: string, request: unknown, uploads: Uint8Array[]): IdempotencyClaim {
  const derive = (purpose: string) => createHmac('sha256', config.receiptPepper).update(`idempotency:${purpose}:${key}`).digest()
  const requestHash = createHash('sha256').update(stableJson(request))
  for (const upload of uploads) requestHash.update(createHash('sha256').update(upload).digest())
  return { keyHash: derive('key').toString('base64url'), requestHash: requestHash.digest('base64url'), sealKey: derive('seal') }
}

/** The first answer to this key, null when the key is new; 409 when it came with a different request. */
export async function replayOf(db: Db, claim: IdempotencyClaim, now = Date.now()): Promise<CreateReportReply | null> {
  const [row] = await db.select({ createdAt: idempotencyKeys.createdAt, requestHash: idempotencyKeys.requestHash, reply: idempotencyKeys.reply, reference: reports.reference })
    .from(idempotencyKeys).innerJoin(reports, eq(reports.id, idempotencyKeys.reportId))
    .where(eq(idempotencyKeys.keyHash, claim.keyHash))
  if (!row) return null
  if (row.createdAt.getTime() < now - idempotencyWindowMs) {
    await db.delete(idempotencyKeys).where(eq(idempotencyKeys.keyHash, claim.keyHash))
    return null
  }
  if (row.requestHash !== claim.requestHash) throw new IdempotencyConflict()
  return { ...unseal(claim.sealKey, row.reply as Sealed), reference: row.reference }
}

interface Sealed { iv: string; tag: string; data: string }

/**
 * What the key's row keeps of the first answer, sealed; the reference is read from the report (the intake's single
 * statement seals before the database numbers the report).
 */
export type SealedReply = Omit<CreateReportReply, 'reference'>

export function seal(key: Buffer, reply: SealedReply): Sealed {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(JSON.stringify(reply), 'utf8'), cipher.final()])
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') }
}

function unseal(key: Buffer, sealed: Sealed): SealedReply {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'))
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'))
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8'))
}

/** JSON with sorted keys, so a retry that orders its fields differently is still the same request. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}
