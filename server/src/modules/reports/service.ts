import { parsePhoneNumberFromString } from 'libphonenumber-js'
import { targetOf } from '@nabij/shared/domain/categories'
import { isLanguage, type Language } from '@nabij/shared/domain/languages'
import type { CreateReportBody, CreateReportReply, LocationPoint } from '@nabij/shared/api/reports'
import { sql } from 'drizzle-orm'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { ContactRequired, EmailInvalid, LocationRequired, PhoneInvalid, ValidationFailed } from '../../errors.js'
import { announceAfterCommit } from '../realtime/events.js'
import { preparedStatement } from '../../db/raw.js'
import { routeReportOn, routingInputsFingerprintSql, type RouteDecision } from '../zones/routing.js'
import type { ProcessedPhoto } from '../photos/pipeline.js'
import { discardPhotos, storePhotos, type StoredPhoto } from '../photos/service.js'
import type { PhotoStorage } from '../photos/storage.js'
import { replayOf, seal, type IdempotencyClaim, type SealedReply } from './idempotency.js'
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
 * idempotency record and the `report.filed` event are written by one INSERT statement (atomic, like a transaction,
 * in one round trip to the database; inside a caller's transaction it joins it). Photo files are written just before
 * it and removed again when it fails. Every entry point (web form, Open311, demo) goes through here.
 *
 * Routing decides on what this process last read of zones, rules and officers; the statement inserts nothing when
 * those changed meanwhile (their fingerprint differs), and the intake routes again on fresh data.
 */
export async function fileReport(db: Db, input: CreateReportBody, photos: ProcessedPhoto[], deps: FileReportDeps): Promise<CreateReportReply> {
  const now = deps.now ?? new Date()
  const report = checkReport(input, now)
  const stored = await storePhotos(deps.storage, photos)
  let fresh = false
  for (let attempt = 1; ; attempt++) {
    const receipt = newReceipt(deps.config.receiptPepper)
    try {
      const { decision: route, fingerprint } = await routeReportOn(db, report.location, report.category, now, report.zoneId, { fresh })
      const sealed: SealedReply = { receiptCode: receipt.code, target: targetOf(report.category), photoCount: stored.length }
      const [row] = await insertReport(db, report, route, fingerprint, {
        receiptHash: receipt.hash, stored, now, givenClock: deps.now !== undefined,
        idempotency: deps.idempotency && { ...deps.idempotency, reply: seal(deps.idempotency.sealKey, sealed) },
      })
      if (!row) {
        // Zones, rules or officers changed since this process last read them: route again on what they hold now.
        if (attempt < 5) {
          fresh = true
          continue
        }
        throw new Error('routing inputs kept changing during the intake')
      }
      await announceAfterCommit(db, { wait: false })
      return { reference: row.reference, ...sealed }
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

interface InsertExtras {
  receiptHash: string
  stored: StoredPhoto[]
  now: Date
  /** A clock given by the caller (demo's past reports, imports) is the filing time too; otherwise the database's. */
  givenClock: boolean
  idempotency: (IdempotencyClaim & { reply: unknown }) | undefined
}

/**
 * The one statement of an intake: the report (only while the routing inputs still match the fingerprint), then, from
 * its row, the photos, the idempotency record and the event. Every value is a typed parameter. Its text depends only
 * on the number of photos, an idempotency key and a given clock, so each variant is built once (`preparedStatement`)
 * and an intake only fills in its values.
 */
const intakeStatements = new Map<string, ReturnType<typeof intakeStatement>>()

function intakeStatement(photoCount: number, withKey: boolean, givenClock: boolean) {
  const name = `nabij_intake_${photoCount}_${withKey ? 'key' : 'nokey'}_${givenClock ? 'clock' : 'now'}`
  const p = (key: string) => sql.placeholder(key)
  return preparedStatement<{ id: number | string; reference: string }>(name, () => {
    const photoRows = Array.from({ length: photoCount }, (_, i) =>
      sql`(${p(`photo${i}_id`)}::uuid, ${p(`photo${i}_key`)}::text, ${p(`photo${i}_thumb`)}::text, ${p(`photo${i}_width`)}::int, ${p(`photo${i}_height`)}::int, ${p(`photo${i}_bytes`)}::int)`)
    return sql`
    with report as (
      insert into reports (reference, category, description, language, lat, lon, address_text, incident_at, anonymous,
        receipt_hash, reporter_name, reporter_email, reporter_phone, contact_consent, zone_id, queue, routing_rule_id,
        routing_reason, assigned_staff_id, promised_response_hours, due_at, created_at)
      select ${nextReferenceSql()}, ${p('category')}::text, ${p('description')}::text, ${p('language')}::text,
        ${p('lat')}::float8, ${p('lon')}::float8, ${p('address')}::text,
        ${p('incidentAt')}::timestamptz, ${p('anonymous')}::boolean, ${p('receiptHash')}::text,
        ${p('name')}::text, ${p('email')}::text, ${p('phone')}::text, ${p('consent')}::boolean,
        ${p('zoneId')}::int, ${p('queue')}::text, ${p('ruleId')}::int, ${p('reason')}::text, ${p('staffId')}::int,
        ${p('hours')}::int, ${p('dueAt')}::timestamptz,
        ${givenClock ? sql`${p('createdAt')}::timestamptz` : sql`now()`}
      where ${routingInputsFingerprintSql} = ${p('fingerprint')}::text
      returning id, reference
    )${photoCount > 0 ? sql`, photo as (
      insert into photos (id, storage_key, thumb_key, width, height, bytes, report_id)
      select p.id, p.storage_key, p.thumb_key, p.width, p.height, p.bytes, report.id
      from report, (values ${sql.join(photoRows, sql`, `)}) as p(id, storage_key, thumb_key, width, height, bytes)
    )` : sql``}${withKey ? sql`, idempotency as (
      insert into idempotency_keys (key_hash, request_hash, report_id, reply)
      select ${p('keyHash')}::text, ${p('requestHash')}::text, report.id, ${p('reply')}::jsonb from report
    )` : sql``}, event as (
      insert into events (type, report_id, zone_id, payload)
      select 'report.filed', report.id, ${p('zoneId')}::int,
        jsonb_build_object('reference', report.reference, 'category', ${p('category')}::text, 'queue', ${p('queue')}::text)
      from report
    )
    select id, reference from report`
  })
}

function insertReport(db: Db, report: CheckedReport, route: RouteDecision, fingerprint: string, extras: InsertExtras) {
  const { stored, now, idempotency } = extras
  const key = `${stored.length}|${idempotency ? 1 : 0}|${extras.givenClock ? 1 : 0}`
  let statement = intakeStatements.get(key)
  if (!statement) intakeStatements.set(key, statement = intakeStatement(stored.length, idempotency !== undefined, extras.givenClock))
  const contact = report.contact
  const values: Record<string, unknown> = {
    category: report.category, description: report.description, language: report.language,
    lat: report.location?.lat ?? null, lon: report.location?.lon ?? null, address: report.address,
    incidentAt: report.incidentAt?.toISOString() ?? null, anonymous: report.anonymous, receiptHash: extras.receiptHash,
    name: contact?.name ?? null, email: contact?.email ?? null, phone: contact?.phone ?? null, consent: contact?.consent ?? false,
    zoneId: route.zoneId, queue: route.queue, ruleId: route.routingRuleId, reason: route.routingReason, staffId: route.assignedStaffId,
    hours: route.promisedResponseHours, dueAt: new Date(now.getTime() + route.promisedResponseHours * 3_600_000).toISOString(),
    createdAt: now.toISOString(), fingerprint,
  }
  stored.forEach((photo, i) => Object.assign(values, {
    [`photo${i}_id`]: photo.id, [`photo${i}_key`]: photo.storageKey, [`photo${i}_thumb`]: photo.thumbKey,
    [`photo${i}_width`]: photo.width, [`photo${i}_height`]: photo.height, [`photo${i}_bytes`]: photo.bytes,
  }))
  if (idempotency) Object.assign(values, { keyHash: idempotency.keyHash, requestHash: idempotency.requestHash, reply: JSON.stringify(idempotency.reply) })
  return statement(db, values)
}

/** The constraint a unique violation (SQLSTATE 23505) hit, looking through drizzle's wrapper; null for other errors. */
export function uniqueViolation(err: unknown): string | null {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return e.constraint ?? ''
  }
  return null
}
