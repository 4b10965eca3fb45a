import { createHash, randomBytes } from 'node:crypto'
import { and, asc, desc, eq, gte, inArray, isNull, lt, type SQL } from 'drizzle-orm'
import type {
  CreatedOpen311Client, Open311Client, PostRequestBody, PostRequestReply, RequestsQuery, Service, ServiceDefinition, ServiceRequest, TokenReply,
} from '@nabij/shared/api/open311'
import type { PublicReport } from '@nabij/shared/api/public'
import { categories, isCategory, targetOf, type Category } from '@nabij/shared/domain/categories'
import type { Language } from '@nabij/shared/domain/languages'
import { statusFamilies } from '@nabij/shared/domain/statuses'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { open311Clients, open311Requests, reports, type Open311Client as ClientRow } from '../../db/schema.js'
import { ApiKeyInvalid, NotFound, RangeInvalid, ServiceNotFound } from '../../errors.js'
import { translator } from '../../i18n.js'
import { audit } from '../audit/service.js'
import type { PhotoStorage } from '../photos/storage.js'
import { isPublicReport, publicReport } from '../public/service.js'
import { fileReport } from '../reports/service.js'
import type { StaffPrincipal } from '../staff/sessions.js'

// ---------------------------------------------------------------- services

export function listServices(language: Language): Service[] {
  const t = translator(language)
  return categories.map((c) => ({
    service_code: c.key,
    service_name: t(`category.${c.key}.label`),
    description: t(`category.${c.key}.help`),
    // No extra attributes: GET services/:code answers an empty definition.
    metadata: false,
    type: 'realtime',
    keywords: c.key.replaceAll('_', ' '),
    group: t(`target.${c.target}`),
  }))
}

export function serviceDefinition(code: string): ServiceDefinition {
  if (!isCategory(code)) throw new ServiceNotFound(code)
  return { service_code: code, attributes: [] }
}

// ---------------------------------------------------------------- requests (read)

/** The public projection of one report, in GeoReport v2 terms; nothing beyond what /api/public shows. */
function toServiceRequest(report: PublicReport, config: Config, language: Language): ServiceRequest {
  const t = translator(language)
  const closed = (statusFamilies.closed as readonly string[]).includes(report.status)
  const lastNote = [...report.updates].reverse().find((u) => u.text)
  const updated = [report.filedAt, ...report.updates.map((u) => u.at)].sort().at(-1)!
  const photo = report.photos[0] ?? report.updates.flatMap((u) => u.photos)[0]
  return {
    service_request_id: report.reference,
    status: closed ? 'closed' : 'open',
    status_notes: lastNote?.text ?? (report.closeReason ? t(`close_reason.${report.closeReason}`) : null),
    service_name: t(`category.${report.category}.label`),
    service_code: report.category,
    description: report.text,
    agency_responsible: report.zone && targetOf(report.category) === 'zone_officers' ? `${t('target.zone_officers')} — ${report.zone.name}` : t(`target.${targetOf(report.category)}`),
    service_notice: null,
    requested_datetime: report.filedAt,
    updated_datetime: updated,
    expected_datetime: null,
    address: null,
    address_id: null,
    zipcode: null,
    lat: report.location?.lat ?? null,
    long: report.location?.lon ?? null,
    media_url: photo ? `${config.publicUrl}${photo.url}` : null,
  }
}

const list = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter(Boolean)
const defaultWindowMs = 90 * 86_400_000

/**
 * Published reports only: the filters select references among `isPublicReport()`, and each is then read through
 * the public projection. Without dates the last 90 days are searched, as the specification suggests.
 */
export async function listRequests(db: Db, config: Config, query: RequestsQuery, language: Language, now = new Date()): Promise<ServiceRequest[]> {
  const conditions: SQL[] = [isPublicReport()]
  const ids = list(query.service_request_id)
  if (ids.length > 0) {
    conditions.push(inArray(reports.reference, ids.slice(0, 200)))
  } else {
    const codes = list(query.service_code)
    if (codes.length > 0) conditions.push(inArray(reports.category, codes.filter(isCategory)))
    const wanted = list(query.status)
    if (wanted.length === 1) conditions.push(inArray(reports.status, [...statusFamilies[wanted[0] as 'open' | 'closed']]))
    const end = query.end_date ? new Date(query.end_date) : now
    const start = query.start_date ? new Date(query.start_date) : new Date(end.getTime() - defaultWindowMs)
    if (!(start <= end)) throw new RangeInvalid()
    conditions.push(gte(reports.createdAt, start), lt(reports.createdAt, end))
  }
  const rows = await db.select({ reference: reports.reference }).from(reports).where(and(...conditions))
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(query.page_size).offset((query.page - 1) * query.page_size)
  const out: ServiceRequest[] = []
  for (const row of rows) out.push(toServiceRequest(await publicReport(db, row.reference, language), config, language))
  return out
}

export async function getRequest(db: Db, config: Config, reference: string, language: Language): Promise<ServiceRequest[]> {
  return [toServiceRequest(await publicReport(db, reference, language), config, language)]
}

// ---------------------------------------------------------------- requests (write)

const keyHash = (key: string) => createHash('sha256').update(key).digest('hex')

/** Keys are 256 random bits: a fast hash is enough, no password hashing needed. */
export async function clientForKey(db: Db, apiKey: string): Promise<ClientRow> {
  const [client] = await db.select().from(open311Clients).where(and(eq(open311Clients.keyHash, keyHash(apiKey)), isNull(open311Clients.revokedAt)))
  if (!client) throw new ApiKeyInvalid()
  return client
}

/**
 * Files a report through the same intake as the web form, in one transaction with the Open311 token. Anonymous
 * unless the client sends contact data; `media_url` is never fetched (it would reveal our server to any address and
 * skip the photo pipeline).
 */
export async function postRequest(db: Db, deps: { config: Config; storage: PhotoStorage }, body: PostRequestBody, language: Language): Promise<PostRequestReply> {
  const client = await clientForKey(db, body.api_key)
  if (!isCategory(body.service_code)) throw new ServiceNotFound(body.service_code)
  const name = [body.first_name, body.last_name].map((p) => p?.trim()).filter(Boolean).join(' ')
  const named = Boolean(name || body.email || body.phone)
  const hasPoint = body.lat !== undefined && body.long !== undefined
  const token = randomBytes(16).toString('base64url')
  return db.transaction(async (tx) => {
    const reply = await fileReport(tx, {
      category: body.service_code as Category,
      description: body.description,
      ...(hasPoint ? { location: { lat: body.lat!, lon: body.long! } } : {}),
      ...(body.address_string?.trim() ? { address: body.address_string.trim() } : {}),
      language,
      anonymous: !named,
      // Contact data handed to a reporting app is given to be contacted about the report.
      ...(named ? { contact: { name, ...(body.email ? { email: body.email } : {}), ...(body.phone ? { phone: body.phone } : {}), consent: true } } : {}),
    }, [], deps)
    const [report] = await tx.select({ id: reports.id }).from(reports).where(eq(reports.reference, reply.reference))
    await tx.insert(open311Requests).values({ token, reportId: report!.id, clientId: client.id })
    return [{ service_request_id: reply.reference, token, service_notice: null, account_id: null, receipt_code: reply.receiptCode }]
  })
}

export async function tokenLookup(db: Db, token: string): Promise<TokenReply> {
  const [row] = await db.select({ reference: reports.reference }).from(open311Requests)
    .innerJoin(reports, eq(reports.id, open311Requests.reportId))
    .where(eq(open311Requests.token, token))
  if (!row) throw new NotFound()
  return [{ service_request_id: row.reference, token }]
}

// ---------------------------------------------------------------- clients (admin)

const clientView = (row: ClientRow): Open311Client => ({
  id: row.id, name: row.name, keyPrefix: row.keyPrefix, revoked: row.revokedAt !== null, createdAt: row.createdAt.toISOString(),
})

export async function listClients(db: Db): Promise<Open311Client[]> {
  return (await db.select().from(open311Clients).orderBy(asc(open311Clients.id))).map(clientView)
}

export async function createClient(db: Db, staff: Pick<StaffPrincipal, 'id'>, name: string): Promise<CreatedOpen311Client> {
  const apiKey = `nbj_${randomBytes(32).toString('base64url')}`
  const row = await db.transaction(async (tx) => {
    const [created] = await tx.insert(open311Clients).values({ name, keyHash: keyHash(apiKey), keyPrefix: apiKey.slice(0, 10), createdByStaffId: staff.id }).returning()
    await audit(tx, { staffId: staff.id, action: 'open311_client.created', targetType: 'open311_client', targetId: created!.id, detail: { name } })
    return created!
  })
  return { ...clientView(row), apiKey }
}

export async function revokeClient(db: Db, staff: Pick<StaffPrincipal, 'id'>, id: number, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.update(open311Clients).set({ revokedAt: now }).where(and(eq(open311Clients.id, id), isNull(open311Clients.revokedAt))).returning({ id: open311Clients.id })
    if (!row) throw new NotFound()
    await audit(tx, { staffId: staff.id, action: 'open311_client.revoked', targetType: 'open311_client', targetId: id })
  })
}
