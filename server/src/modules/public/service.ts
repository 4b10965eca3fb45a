import { and, asc, desc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { TimelineItem } from '@nabij/shared/api/followup'
import type { PublicPhoto, PublicReport, PublicReportList, PublicReportSummary, PublicReportsQuery, PublicUpdate } from '@nabij/shared/api/public'
import type { Category } from '@nabij/shared/domain/categories'
import type { Language } from '@nabij/shared/domain/languages'
import { openStatuses, publicModerationStates, type CloseReason, type Status } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'
import { photos, reports, reportUpdates, zones, type Photo, type Report, type ReportUpdate } from '../../db/schema.js'
import { NotFound, ReportNotFound } from '../../errors.js'
import { renderUpdate, toHour } from '../reports/followup.js'
import type { PhotoStorage } from '../photos/storage.js'

/**
 * The public projection: what anyone may read. A report is public only in a published moderation state; its text is
 * the moderator's summary or the approved original, never anything else; photos only as the moderator's redacted
 * derivative; updates only officers' (and the system's) public ones. Every filter and every figure here works on
 * the generalised location, never the exact one.
 */

/** ~100 m in Belgium and the Netherlands (50.5–53.5° N): 0.0009° of latitude, 0.0014° of longitude. */
export const gridStep = { lat: 0.0009, lon: 0.0014 } as const

const roundTo = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals

/** The centre of the grid cell holding the point: all reports in one cell show on the same spot. */
export function generalise(lat: number, lon: number): { lat: number; lon: number } {
  return {
    lat: roundTo(Math.floor(lat / gridStep.lat) * gridStep.lat + gridStep.lat / 2, 6),
    lon: roundTo(Math.floor(lon / gridStep.lon) * gridStep.lon + gridStep.lon / 2, 6),
  }
}

/**
 * The same cell centre in SQL. A bounding box compared with exact coordinates would let a caller shrink the box
 * around one report until it pins the exact point; compared with cell centres, it learns the cell and no more.
 */
const cellLat = sql`(floor(${reports.lat} / ${gridStep.lat}::float8) * ${gridStep.lat}::float8 + ${gridStep.lat / 2}::float8)`
const cellLon = sql`(floor(${reports.lon} / ${gridStep.lon}::float8) * ${gridStep.lon}::float8 + ${gridStep.lon / 2}::float8)`

/** SQL condition: the report's public side was published by a moderator. */
export function isPublicReport(): SQL {
  return and(
    inArray(reports.moderationState, [...publicModerationStates]),
    or(eq(reports.moderationState, 'published_original'), isNotNull(reports.publicSummary)),
  )!
}

/** Updates the public may read: officers' and the system's, marked public. Residents' replies never are. */
const publicUpdate = and(eq(reportUpdates.visibility, 'public'), inArray(reportUpdates.author, ['staff', 'system']))

export function publicPhotoRef(photo: Pick<Photo, 'id' | 'width' | 'height'>): PublicPhoto {
  return { id: photo.id, width: photo.width, height: photo.height, url: `/api/public/photos/${photo.id}`, thumbUrl: `/api/public/photos/${photo.id}/thumb` }
}

type ReportRow = Pick<Report, 'id' | 'reference' | 'category' | 'description' | 'language' | 'moderationState' | 'publicSummary' | 'status' | 'closeReason' | 'lat' | 'lon' | 'createdAt'>
  & { zoneId: number | null; zoneName: string | null; zoneNames: Record<string, string> | null }

const reportColumns = {
  id: reports.id,
  reference: reports.reference,
  category: reports.category,
  description: reports.description,
  language: reports.language,
  moderationState: reports.moderationState,
  publicSummary: reports.publicSummary,
  status: reports.status,
  closeReason: reports.closeReason,
  lat: reports.lat,
  lon: reports.lon,
  createdAt: reports.createdAt,
  zoneId: zones.id,
  zoneName: zones.name,
  zoneNames: zones.names,
}

/** Confirmed (redacted) photos of these reports that the public may see, by report id. */
async function publicPhotosOf(db: Db, reportIds: number[], updateIds: number[]): Promise<Photo[]> {
  if (reportIds.length === 0) return []
  return db.select().from(photos)
    .where(and(
      inArray(photos.reportId, reportIds),
      isNotNull(photos.redactedKey),
      updateIds.length > 0 ? or(isNull(photos.updateId), inArray(photos.updateId, updateIds)) : isNull(photos.updateId),
    ))
    .orderBy(asc(photos.createdAt), asc(photos.id))
}

function summaryOf(row: ReportRow, reportPhotos: Photo[], reader: Language): PublicReportSummary {
  const summary = row.moderationState === 'published_summary'
  return {
    reference: row.reference,
    category: row.category as Category,
    text: summary ? row.publicSummary! : row.description,
    textKind: summary ? 'summary' : 'original',
    language: summary ? null : row.language,
    zone: row.zoneId === null ? null : { id: row.zoneId, name: row.zoneNames?.[reader] ?? row.zoneName! },
    status: row.status as Status,
    closeReason: (row.closeReason as CloseReason | null) ?? null,
    location: row.lat === null || row.lon === null ? null : generalise(row.lat, row.lon),
    filedAt: toHour(row.createdAt),
    photos: reportPhotos.filter((p) => p.reportId === row.id && p.updateId === null).map(publicPhotoRef),
  }
}

export async function listPublicReports(db: Db, query: PublicReportsQuery, reader: Language): Promise<PublicReportList> {
  const conditions: SQL[] = [isPublicReport()]
  if (query.zone !== undefined) conditions.push(eq(reports.zoneId, query.zone))
  if (query.category) conditions.push(eq(reports.category, query.category))
  if (query.status === 'open') conditions.push(inArray(reports.status, [...openStatuses]))
  else if (query.status) conditions.push(eq(reports.status, query.status))
  if (query.bbox) {
    const [minLon, minLat, maxLon, maxLat] = query.bbox.split(',').map(Number) as [number, number, number, number]
    conditions.push(sql`${cellLon} between ${minLon}::float8 and ${maxLon}::float8 and ${cellLat} between ${minLat}::float8 and ${maxLat}::float8`)
  }
  const where = and(...conditions)
  const [counted] = await db.select({ total: sql<number>`count(*)::int` }).from(reports).where(where)
  const rows = await db.select(reportColumns).from(reports).leftJoin(zones, eq(zones.id, reports.zoneId))
    .where(where)
    .orderBy(desc(reports.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  const reportPhotos = await publicPhotosOf(db, rows.map((r) => r.id), [])
  return { items: rows.map((row) => summaryOf(row, reportPhotos, reader)), page: query.page, pageSize: query.pageSize, total: Number(counted?.total ?? 0) }
}

/** Officers' public updates of a report, rendered for the reader (canned texts and translations in their language). */
export async function publicUpdates(db: Db, reportId: number, reader: Language): Promise<PublicUpdate[]> {
  const updates = await db.select().from(reportUpdates)
    .where(and(eq(reportUpdates.reportId, reportId), publicUpdate))
    .orderBy(asc(reportUpdates.id))
  const updatePhotos = await publicPhotosOf(db, [reportId], updates.map((u) => u.id))
  return updates.map((u) => renderPublicUpdate(u, updatePhotos.filter((p) => p.updateId === u.id), reader))
}

function renderPublicUpdate(row: ReportUpdate, updatePhotos: Photo[], reader: Language): PublicUpdate {
  const item = renderUpdate(row, [], reader)
  return {
    id: item.id,
    at: item.at,
    author: item.author as PublicUpdate['author'],
    kind: item.kind,
    ...(item.cannedKey ? { cannedKey: item.cannedKey } : {}),
    text: item.text,
    language: item.language,
    photos: updatePhotos.map(publicPhotoRef),
  }
}

/** One public report by reference; anything not published is answered as absent. */
export async function publicReport(db: Db, reference: string, reader: Language): Promise<PublicReport> {
  const [row] = await db.select(reportColumns).from(reports).leftJoin(zones, eq(zones.id, reports.zoneId))
    .where(and(eq(reports.reference, reference), isPublicReport()))
  if (!row) throw new ReportNotFound(reference)
  const reportPhotos = await publicPhotosOf(db, [row.id], [])
  return { ...summaryOf(row, reportPhotos, reader), updates: await publicUpdates(db, row.id, reader) }
}

/**
 * The report a merged one lives on in (following a chain, should one exist), or null when it was not merged.
 * The follow-up of a merged report shows the survivor's public timeline: `publicUpdates(db, survivor.id, reader)`.
 */
export async function survivorOf(db: Db, reportId: number): Promise<{ id: number; reference: string } | null> {
  let current = reportId
  for (let hops = 0; hops < 10; hops++) {
    const [row] = await db.select({ duplicateOfId: reports.duplicateOfId }).from(reports).where(eq(reports.id, current))
    if (!row?.duplicateOfId) break
    current = row.duplicateOfId
  }
  if (current === reportId) return null
  const [survivor] = await db.select({ id: reports.id, reference: reports.reference }).from(reports).where(eq(reports.id, current))
  return survivor ?? null
}

/**
 * A merged report's follow-up: its reporter's own timeline with the survivor's public timeline woven in by time, so
 * both reporters follow the surviving report. Unchanged for a report that was not merged.
 */
export async function withSurvivorTimeline(db: Db, report: Pick<Report, 'id' | 'duplicateOfId'>, own: TimelineItem[], reader: Language): Promise<TimelineItem[]> {
  if (!report.duplicateOfId) return own
  const survivor = await survivorOf(db, report.id)
  if (!survivor) return own
  // The photos' public URLs answer only while the survivor itself is published.
  const [published] = await db.select({ id: reports.id }).from(reports).where(and(eq(reports.id, survivor.id), isPublicReport()))
  const theirs: TimelineItem[] = (await publicUpdates(db, survivor.id, reader))
    .map((u) => ({ ...u, visibility: 'public' as const, photos: published ? u.photos : [] }))
  return [...own, ...theirs].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id)
}

/**
 * The redacted derivative of a photo whose report is public, and which is the report's own photo or one of a public
 * officer's update. Everything else, unredacted photos above all, is absent.
 */
export async function publicPhoto(db: Db, storage: PhotoStorage, id: string, variant: 'full' | 'thumb'): Promise<Buffer> {
  const [row] = await db.select({ redactedKey: photos.redactedKey, redactedThumbKey: photos.redactedThumbKey }).from(photos)
    .innerJoin(reports, eq(reports.id, photos.reportId))
    .leftJoin(reportUpdates, eq(reportUpdates.id, photos.updateId))
    .where(and(
      eq(photos.id, id),
      isNotNull(photos.redactedKey),
      isPublicReport(),
      or(isNull(photos.updateId), publicUpdate),
    ))
  const key = variant === 'full' ? row?.redactedKey : row?.redactedThumbKey
  if (!key) throw new NotFound()
  const data = await storage.get(key)
  if (!data) throw new NotFound()
  return data
}
