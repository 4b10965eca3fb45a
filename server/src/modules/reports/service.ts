import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { targetOf } from '@nabij/shared/domain/categories'
import { isLanguage, type Language } from '@nabij/shared/domain/languages'
import type { CreateReportBody, CreateReportReply, LocationPoint } from '@nabij/shared/api/reports'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { idempotencyKeys, reports } from '../../db/schema.js'
import { ContactRequired, EmailInvalid, LocationRequired, PhoneInvalid, ValidationFailed } from '../../errors.js'
import { recordEvent } from '../realtime/events.js'
import { routeReport } from '../zones/routing.js'
import type { ProcessedPhoto } from '../photos/pipeline.js'
import { discardPhotos, recordPhotos, storePhotos } from '../photos/service.js'
import type { PhotoStorage } from '../photos/storage.js'
import { replayOf, seal, type IdempotencyClaim } from './idempotency.js'
import { newReceipt } from './receipt.js'
import { nextReferenceSql } from './reference.js'

export interface FileReportDeps {
  config: Config
  storage: PhotoStorage
  idempotency?: IdempotencyClaim
  now?: Date
}

export interface CheckedReport {
  category: CreateReportBody['category']
  description: string
  language: Language
  location: LocationPoint | null
  /** The neighbourhood chosen from the list, when there is no map point. */
  zoneId: number | null
  address: string | null
  incidentAt: Date | null
  anonymous: boolean
  contact: { name: string; email: string | null; phone: string | null; consent: boolean } | null
}

const emailPattern = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/
// A clock a few minutes fast on the phone must not turn "just now" into a refusal.
const clockSkewMs = 10 * 60 * 1000

/** The rules the schema cannot express. Throws the 400 with the stable code of the first problem. */
export function checkReport(input: CreateReportBody, now = new Date()): CheckedReport {
  const description = input.description.trim()
  if (!description) throw new ValidationFailed('description is blank')
  const address = input.address?.trim() || null
  const location = input.location ?? null
  const zoneId = input.zoneId ?? null
  if (!location && !address && zoneId === null) throw new LocationRequired()
  let incidentAt: Date | null = null
  if (input.incidentAt) {
    incidentAt = new Date(input.incidentAt)
    if (Number.isNaN(incidentAt.getTime()) || incidentAt.getTime() > now.getTime() + clockSkewMs) throw new ValidationFailed('incidentAt is in the future')
  }
  return {
    category: input.category,
    description,
    language: isLanguage(input.language) ? input.language : 'nl',
    location,
    zoneId,
    address,
    incidentAt,
    anonymous: input.anonymous,
    // Anonymity is real: contact details sent along with an anonymous report are dropped here, never stored.
    contact: input.anonymous ? null : checkContact(input.contact),
  }
}

function checkContact(contact: CreateReportBody['contact']): NonNullable<CheckedReport['contact']> {
  const name = contact?.name.trim()
  const email = contact?.email?.trim() || null
  const phone = contact?.phone?.trim() || null
  if (!contact || !name || (!email && !phone)) throw new ContactRequired()
  if (email && (email.length > 254 || !emailPattern.test(email))) throw new EmailInvalid()
  let e164: string | null = null
  if (phone) {
    const parsed = parsePhoneNumberFromString(phone, 'BE')
    if (!parsed?.isValid()) throw new PhoneInvalid()
    e164 = parsed.number
  }
  return { name, email: email?.toLowerCase() ?? null, phone: e164, consent: contact.consent }
}

/**
 * Files a report with its processed photos: the report, its photo rows, the routing decision, the receipt hash, the
 * idempotency record and the `report.filed` event are written in one transaction. Photo files are written just
 * before it and removed again when it fails. Every entry point (web form, Open311) goes through here.
 */
export async function fileReport(db: Db, input: CreateReportBody, photos: ProcessedPhoto[], deps: FileReportDeps): Promise<CreateReportReply> {
  const now = deps.now ?? new Date()
  const report = checkReport(input, now)
  const stored = await storePhotos(deps.storage, photos)
  for (let attempt = 1; ; attempt++) {
    const receipt = newReceipt(deps.config.receiptPepper)
    try {
      return await db.transaction(async (tx) => {
        const route = await routeReport(tx, report.location, report.category, now, report.zoneId)
        const [row] = await tx.insert(reports).values({
          reference: nextReferenceSql(),
          category: report.category,
          description: report.description,
          language: report.language,
          lat: report.location?.lat ?? null,
          lon: report.location?.lon ?? null,
          addressText: report.address,
          incidentAt: report.incidentAt,
          anonymous: report.anonymous,
          receiptHash: receipt.hash,
          reporterName: report.contact?.name ?? null,
          reporterEmail: report.contact?.email ?? null,
          reporterPhone: report.contact?.phone ?? null,
          contactConsent: report.contact?.consent ?? false,
          zoneId: route.zoneId,
          queue: route.queue,
          routingRuleId: route.routingRuleId,
          routingReason: route.routingReason,
          assignedStaffId: route.assignedStaffId,
          promisedResponseHours: route.promisedResponseHours,
          dueAt: new Date(now.getTime() + route.promisedResponseHours * 3_600_000),
          // A given clock (the demo's past reports, Open311 imports) is the filing time too; otherwise the database's.
          ...(deps.now ? { createdAt: deps.now } : {}),
        }).returning({ id: reports.id, reference: reports.reference })
        await recordPhotos(tx, stored, { reportId: row!.id })
        const reply: CreateReportReply = { reference: row!.reference, receiptCode: receipt.code, target: targetOf(report.category), photoCount: stored.length }
        if (deps.idempotency) {
          const { keyHash, requestHash, sealKey } = deps.idempotency
          await tx.insert(idempotencyKeys).values({ keyHash, requestHash, reportId: row!.id, reply: seal(sealKey, reply) })
        }
        await recordEvent(tx, { type: 'report.filed', reportId: row!.id, zoneId: route.zoneId, payload: { reference: row!.reference, category: report.category, queue: route.queue } })
        return reply
      })
    } catch (err) {
      const constraint = uniqueViolation(err)
      // Two codes colliding is a 1-in-10^16 event per pair, but it must not lose a report.
      if (constraint === 'reports_receipt_hash_idx' && attempt < 3) continue
      await discardPhotos(deps.storage, stored)
      // A concurrent retry with the same key won the race: answer as it did.
      if (constraint === 'idempotency_keys_pkey' && deps.idempotency) {
        const replay = await replayOf(db, deps.idempotency)
        if (replay) return replay
      }
      throw err
    }
  }
}

/** The constraint a unique violation (SQLSTATE 23505) hit, looking through drizzle's wrapper; null for other errors. */
export function uniqueViolation(err: unknown): string | null {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return e.constraint ?? ''
  }
  return null
}
