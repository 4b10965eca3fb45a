import { and, eq, isNull, sql } from 'drizzle-orm'
import type { ComputedFlag } from '@nabij/shared/moderation/flags'
import type { Db } from '../../db/connect.js'
import { moderationFlags, reports, reportUpdates } from '../../db/schema.js'
import { computeFlags } from './flags.js'

/**
 * Flags are computed after intake, decoupled from it: `flagPending` drains every report and resident reply not yet
 * flagged. The moderation module runs it on each event notification (so right after an intake commits), every minute
 * as a safety net, and before answering the queue; an intake that wants the flags inside its own transaction may call
 * `flagReport(tx, id)` or `flagReply(tx, id)` instead. Either way a report is flagged once, under a row lock.
 */

/** Near-duplicates: same zone and category, similar words (pg_trgm), filed in the days before, close by. */
export const nearDuplicate = { similarity: 0.35, days: 7, metres: 250 } as const
/** The same text this many times before, anywhere, within `days`: spam blasted at the form. */
export const repeatedText = { earlier: 2, days: 7 } as const

/** Replaces the flags of one text (a report's description, or one reply) with a freshly computed set. */
export async function saveFlags(tx: Db, target: { reportId: number; updateId?: number | null }, flags: readonly ComputedFlag[]): Promise<void> {
  const updateId = target.updateId ?? null
  await tx.delete(moderationFlags).where(and(
    eq(moderationFlags.reportId, target.reportId),
    updateId === null ? isNull(moderationFlags.updateId) : eq(moderationFlags.updateId, updateId),
  ))
  if (flags.length === 0) return
  await tx.insert(moderationFlags).values(flags.map((f) => ({
    reportId: target.reportId,
    updateId,
    kind: f.kind,
    reason: f.reason,
    start: f.start,
    end: f.end,
    match: f.match,
    relatedReportId: f.relatedReportId ?? null,
  })))
}

interface Row extends Record<string, unknown> { id: number | string; reference: string; similarity?: number | string; copies?: number | string }

async function rowsOf(tx: Db, query: ReturnType<typeof sql>): Promise<Row[]> {
  const result = await tx.execute(query) as unknown as { rows: Row[] }
  return result.rows
}

/** Earlier, still-standing reports this one probably repeats. */
async function findNearDuplicates(tx: Db, report: typeof reports.$inferSelect): Promise<ComputedFlag[]> {
  const rows = await rowsOf(tx, sql`
    select r.id, r.reference, similarity(r.description, ${report.description}) as similarity
    from reports r
    where r.id < ${report.id}
      and r.category = ${report.category}
      and r.zone_id is not distinct from ${report.zoneId}
      and r.moderation_state not in ('merged', 'rejected_spam', 'rejected_abuse')
      and r.created_at >= ${report.createdAt.toISOString()}::timestamptz - make_interval(days => ${nearDuplicate.days})
      and similarity(r.description, ${report.description}) >= ${nearDuplicate.similarity}
      and (r.lat is null or ${report.lat}::float8 is null or
        2 * 6371000 * asin(sqrt(
          power(sin(radians(r.lat - ${report.lat}::float8) / 2), 2)
          + cos(radians(r.lat)) * cos(radians(${report.lat}::float8)) * power(sin(radians(r.lon - ${report.lon}::float8) / 2), 2)
        )) <= ${nearDuplicate.metres})
    order by similarity desc, r.id desc
    limit 3`)
  return rows.map((r) => ({
    kind: 'near_duplicate',
    reason: `resembles ${r.reference} (${Math.round(Number(r.similarity) * 100)} % similar, same zone and category)`,
    start: 0,
    end: report.description.length,
    match: r.reference,
    relatedReportId: Number(r.id),
  }))
}

async function findRepeatedText(tx: Db, report: typeof reports.$inferSelect): Promise<ComputedFlag[]> {
  const [row] = await rowsOf(tx, sql`
    select count(*) as copies, '' as reference, 0 as id from reports r
    where r.id <> ${report.id}
      and r.created_at between ${report.createdAt.toISOString()}::timestamptz - make_interval(days => ${repeatedText.days}) and ${report.createdAt.toISOString()}::timestamptz
      and md5(lower(regexp_replace(btrim(r.description), '\\s+', ' ', 'g'))) = md5(lower(regexp_replace(btrim(${report.description}), '\\s+', ' ', 'g')))`)
  const copies = Number(row?.copies ?? 0)
  if (copies < repeatedText.earlier) return []
  return [{ kind: 'repeated_text', reason: `the same text was filed ${copies} times before in ${repeatedText.days} days`, start: 0, end: report.description.length, match: report.description.slice(0, 200) }]
}

/** Flags one report's description and marks it flagged; returns the flags. Call inside a transaction. */
export async function flagReport(tx: Db, reportId: number): Promise<ComputedFlag[]> {
  const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update')
  if (!report) return []
  const { flags, detectedLanguage } = computeFlags(report.description, { language: report.language })
  flags.push(...await findNearDuplicates(tx, report), ...await findRepeatedText(tx, report))
  await saveFlags(tx, { reportId }, flags)
  await tx.update(reports).set({ flaggedAt: sql`now()`, detectedLanguage }).where(eq(reports.id, reportId))
  return flags
}

/** Flags one resident reply. Call inside a transaction. */
export async function flagReply(tx: Db, updateId: number): Promise<ComputedFlag[]> {
  const [row] = await tx.select({ update: reportUpdates, reportLanguage: reports.language }).from(reportUpdates)
    .innerJoin(reports, eq(reports.id, reportUpdates.reportId))
    .where(eq(reportUpdates.id, updateId)).for('update', { of: reportUpdates })
  if (!row) return []
  const { flags } = computeFlags(row.update.text ?? '', { language: row.update.language ?? row.reportLanguage })
  await saveFlags(tx, { reportId: row.update.reportId, updateId }, flags)
  await tx.update(reportUpdates).set({ flaggedAt: sql`now()` }).where(eq(reportUpdates.id, updateId))
  return flags
}

/**
 * Flags every report and resident reply not yet flagged, in batches, each batch one transaction. Rows another
 * instance is flagging right now are skipped (SKIP LOCKED), so N instances can drain together. Returns how many
 * texts were flagged.
 */
export async function flagPending(db: Db, batch = 25, stopping: () => boolean = () => false): Promise<number> {
  let total = 0
  // Between batches a closing instance stops; what is left is flagged by the next drain, here or elsewhere.
  while (!stopping()) {
    const done = await db.transaction(async (tx) => {
      const reportIds = await tx.select({ id: reports.id }).from(reports)
        .where(isNull(reports.flaggedAt)).orderBy(reports.id).limit(batch).for('update', { skipLocked: true })
      for (const { id } of reportIds) await flagReport(tx, id)
      const replyIds = await tx.select({ id: reportUpdates.id }).from(reportUpdates)
        .where(and(isNull(reportUpdates.flaggedAt), eq(reportUpdates.author, 'reporter'))).orderBy(reportUpdates.id).limit(batch)
        .for('update', { skipLocked: true })
      for (const { id } of replyIds) await flagReply(tx, id)
      return reportIds.length + replyIds.length
    })
    total += done
    if (done === 0) return total
  }
  return total
}
