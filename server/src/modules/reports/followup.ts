import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { FollowUpView, ReceiptSessionReply, ReplyBody, TimelineItem } from '@nabij/shared/api/followup'
import type { Category } from '@nabij/shared/domain/categories'
import type { Language } from '@nabij/shared/domain/languages'
import { reopenWindowDays, type CloseReason, type Status } from '@nabij/shared/domain/statuses'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { reports, reportUpdates, type Photo, type Report, type ReportUpdate } from '../../db/schema.js'
import { ReceiptInvalid, ReportNotFound, ValidationFailed } from '../../errors.js'
import { translator } from '../../i18n.js'
import type { ProcessedPhoto } from '../photos/pipeline.js'
import { discardPhotos, photoRef, recordPhotos, reporterPhotos, storePhotos } from '../photos/service.js'
import type { PhotoStorage } from '../photos/storage.js'
import { withSurvivorTimeline } from '../public/service.js'
import { erasuresOf } from '../retention/service.js'
import { recordEvent } from '../realtime/events.js'
import { receiptHash } from './receipt.js'
import { issueResidentToken } from './resident-token.js'

/** Times shown to residents are rounded down to the hour: enough to follow a report, too coarse to correlate. */
export function toHour(at: Date): string {
  const rounded = new Date(at)
  rounded.setUTCMinutes(0, 0, 0)
  return rounded.toISOString()
}

/** Receipt code → resident token. A wrong code and an unknown one are the same 401. */
export async function openReceiptSession(db: Db, config: Config, code: string): Promise<ReceiptSessionReply> {
  const hash = receiptHash(config.receiptPepper, code)
  if (!hash) throw new ReceiptInvalid()
  const [report] = await db.select({ id: reports.id, reference: reports.reference }).from(reports).where(eq(reports.receiptHash, hash))
  if (!report) throw new ReceiptInvalid()
  const { token, expiresAt } = issueResidentToken(config, report.id)
  return { token, expiresAt: expiresAt.toISOString(), reference: report.reference }
}

/** The visibilities a reporter may read; 'internal' never leaves the staff side. */
const readableByReporter = ['public', 'reporter'] as const

/**
 * A timeline entry in the reader's language: canned updates are rendered from `update.<cannedKey>`; free text is
 * shown as written, or as its stored translation into the reader's language with the original beside it.
 */
export function renderUpdate(row: ReportUpdate, photos: Pick<Photo, 'id' | 'width' | 'height'>[], reader: Language): TimelineItem {
  const t = translator(reader)
  let text = row.text
  let language = row.language
  let original: TimelineItem['original']
  const translation = row.text && row.language !== reader ? row.translations?.[reader] : undefined
  if (translation) {
    original = { text: row.text!, language: row.language }
    text = translation
    language = reader
  }
  if (row.cannedKey) {
    const canned = t(`update.${row.cannedKey}`, { defaultValue: '' }) || t(row.cannedKey, { defaultValue: '' })
    if (canned) {
      // A note added to a canned text follows it (translated when a translation exists).
      text = text ? `${canned}\n\n${text}` : canned
      language = reader
    }
  }
  return {
    id: row.id,
    at: toHour(row.createdAt),
    author: row.author,
    kind: row.kind,
    visibility: row.visibility === 'public' ? 'public' : 'reporter',
    ...(row.cannedKey ? { cannedKey: row.cannedKey } : {}),
    text: text ?? null,
    language: language ?? null,
    ...(original ? { original } : {}),
    photos: photos.map(photoRef),
    // A reply always has words or photos (postReply refuses neither); neither left means retention took the photos.
    ...(row.author === 'reporter' && !text && photos.length === 0 ? { photosErased: true } : {}),
  }
}

/** Until when the reporter may reopen a closed report (workflow/service.ts reopenByReporter decides for real). */
function reopenUntil(report: Pick<Report, 'status' | 'closedAt' | 'updatedAt'>, now = new Date()): string | null {
  if (report.status !== 'closed') return null
  const until = new Date((report.closedAt ?? report.updatedAt).getTime() + reopenWindowDays * 86_400_000)
  return until > now ? toHour(until) : null
}

export async function followUpView(db: Db, reportId: number, reader: Language): Promise<FollowUpView> {
  const [report] = await db.select().from(reports).where(eq(reports.id, reportId))
  if (!report) throw new ReportNotFound(String(reportId))
  const updates = await db.select().from(reportUpdates)
    .where(and(eq(reportUpdates.reportId, reportId), inArray(reportUpdates.visibility, [...readableByReporter])))
    .orderBy(asc(reportUpdates.id))
  const photos = await reporterPhotos(db, reportId)
  const t = translator(reader)
  return {
    reference: report.reference,
    category: report.category as Category,
    categoryLabel: t(`category.${report.category}.label`),
    status: report.status as Status,
    statusLabel: t(`status.${report.status}`),
    closeReason: (report.closeReason as CloseReason | null) ?? null,
    filedAt: toHour(report.createdAt),
    anonymous: report.anonymous,
    description: report.description,
    language: report.language,
    location: report.lat !== null && report.lon !== null ? { lat: report.lat, lon: report.lon } : null,
    address: report.addressText,
    photos: photos.filter((p) => p.updateId === null).map(photoRef),
    // A report merged as a duplicate is followed through the surviving report's public timeline.
    timeline: await withSurvivorTimeline(db, report, updates.map((u) => renderUpdate(u, photos.filter((p) => p.updateId === u.id), reader)), reader),
    reopenUntil: reopenUntil(report),
    erased: (await erasuresOf(db, report)).map((e) => ({ ...e, at: toHour(e.at) })),
  }
}

export interface ReplyDeps {
  storage: PhotoStorage
}

/**
 * The reporter answers: a message for the officers only (visibility 'reporter'), held for moderation before anything
 * of it can become public. The status stays as it is, also 'waiting_for_reporter': the officer moves it on.
 */
export async function postReply(db: Db, reportId: number, input: ReplyBody & { language: Language }, photos: ProcessedPhoto[], deps: ReplyDeps): Promise<TimelineItem> {
  const text = input.text?.trim() || null
  if (!text && photos.length === 0) throw new ValidationFailed('a reply needs text or a photo')
  const [report] = await db.select({ id: reports.id, zoneId: reports.zoneId }).from(reports).where(eq(reports.id, reportId))
  if (!report) throw new ReportNotFound(String(reportId))
  const stored = await storePhotos(deps.storage, photos)
  try {
    const update = await db.transaction(async (tx) => {
      const [row] = await tx.insert(reportUpdates).values({
        reportId,
        author: 'reporter',
        visibility: 'reporter',
        kind: 'message',
        text,
        language: input.language,
        moderationState: 'pending',
      }).returning()
      await recordPhotos(tx, stored, { reportId, updateId: row!.id })
      await tx.update(reports).set({ updatedAt: sql`now()` }).where(eq(reports.id, reportId))
      await recordEvent(tx, { type: 'report.reporter_replied', reportId, zoneId: report.zoneId, payload: { updateId: row!.id } })
      return row!
    })
    return renderUpdate(update, stored, input.language)
  } catch (err) {
    await discardPhotos(deps.storage, stored)
    throw err
  }
}
