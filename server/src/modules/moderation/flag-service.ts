import { and, eq, isNull, sql } from 'drizzle-orm'
import type { ComputedFlag } from '@nabij/shared/moderation/flags'
import type { Db } from '../../db/connect.js'
import { moderationFlags, reports, reportUpdates } from '../../db/schema.js'
import { rowsOf } from '../../db/raw.js'
import { computeFlags } from './flags.js'
import { trigramSimilarity, trigrams } from './similarity.js'

/**
 * Flags are computed after intake, decoupled from it: `flagPending` drains every report and resident reply not yet
 * flagged. The moderation module runs it on each event notification (so right after an intake commits), every minute
 * as a safety net, and before answering the queue; an intake that wants the flags inside its own transaction may call
 * `flagReport(tx, id)` or `flagReply(tx, id)` instead. Either way a report is flagged once, under a row lock.
 */

/**
 * Near-duplicates: same zone and category, similar words (pg_trgm), filed in the days before, close by. Only the
 * `candidates` most recent such reports are compared, so flagging costs the same in a busy week as in a quiet one
 * (a text blasted more often than that is caught as repeated text).
 */
export const nearDuplicate = { similarity: 0.35, days: 7, metres: 250, candidates: 50 } as const
/** The same text this many times before, anywhere, within `days`: spam blasted at the form. */
export const repeatedText = { earlier: 2, days: 7 } as const

/** Replaces the automatic flags of one text (a report's description, or one reply); a moderator's own flags stay. */
export async function saveFlags(tx: Db, target: { reportId: number; updateId?: number | null }, flags: readonly ComputedFlag[]): Promise<void> {
  const updateId = target.updateId ?? null
  await tx.delete(moderationFlags).where(and(
    eq(moderationFlags.reportId, target.reportId),
    updateId === null ? isNull(moderationFlags.updateId) : eq(moderationFlags.updateId, updateId),
    isNull(moderationFlags.flaggedBy),
  ))
  await insertFlags(tx, flags.map((flag) => ({ reportId: target.reportId, updateId, flag })))
}

/**
 * Automatic flags of any number of texts in one statement whose text never changes: the rows travel as one JSON
 * parameter (building a multi-row INSERT with drizzle cost more of the app's thread than the flags themselves).
 */
async function insertFlags(tx: Db, rows: readonly { reportId: number; updateId?: number | null; flag: ComputedFlag }[]): Promise<void> {
  if (rows.length === 0) return
  const json = JSON.stringify(rows.map(({ reportId, updateId, flag: f }) => ({
    report_id: reportId, update_id: updateId ?? null, kind: f.kind, reason: f.reason, start: f.start, end: f.end, match: f.match,
    related_report_id: f.relatedReportId ?? null, details: f.details ?? {},
  })))
  await tx.execute(sql`insert into moderation_flags (report_id, update_id, kind, reason, start, "end", match, related_report_id, details)
    select report_id, update_id, kind, reason, start, "end", match, related_report_id, details
    from jsonb_to_recordset(${json}::jsonb) as f(report_id bigint, update_id bigint, kind text, reason text, start int, "end" int, match text, related_report_id bigint, details jsonb)`)
}

type ReportRow = typeof reports.$inferSelect

/** Reports checked between two turns of the event loop. */
const flagSlice = 4

/**
 * The flags that need other reports, for a whole batch in one query: per report, its near-duplicate candidates
 * (the `candidates` latest of its zone and category in the days before, still standing, close by) and how often the
 * same text was filed in the days before. The candidates' texts come once per batch, however many batch reports
 * share them, and their similarity is computed here, each text's trigrams once (see similarity.ts).
 */
async function findRelated(tx: Db, batch: ReportRow[]): Promise<Map<number, ComputedFlag[]>> {
  const result = new Map<number, ComputedFlag[]>()
  if (batch.length === 0) return result
  const [row] = await rowsOf<{ pairs: unknown; candidates: unknown; copies: unknown }>(tx, sql`
    with batch as (
      select id, category, zone_id, lat, lon, created_at, description from reports
      where id in (${sql.join(batch.map((r) => sql`${r.id}::bigint`), sql`, `)})
    ),
    pairs as (
      select b.id as report_id, c.id as candidate_id
      from batch b cross join lateral (
        select id, lat, lon from reports
        where category = b.category
          and coalesce(zone_id, 0) = coalesce(b.zone_id, 0)
          and id < b.id
          and moderation_state not in ('merged', 'rejected_spam', 'rejected_abuse')
          and created_at >= b.created_at - make_interval(days => ${nearDuplicate.days})
        order by id desc
        limit ${nearDuplicate.candidates}
      ) c
      where c.lat is null or b.lat is null or
        2 * 6371000 * asin(sqrt(
          power(sin(radians(c.lat - b.lat) / 2), 2)
          + cos(radians(c.lat)) * cos(radians(b.lat)) * power(sin(radians(c.lon - b.lon) / 2), 2)
        )) <= ${nearDuplicate.metres}
    )
    select
      (select coalesce(json_agg(json_build_array(report_id, candidate_id)), '[]'::json) from pairs) as pairs,
      (select coalesce(json_agg(json_build_array(r.id, r.reference, r.description)), '[]'::json)
        from reports r where r.id in (select candidate_id from pairs)) as candidates,
      (select coalesce(json_agg(json_build_array(b.id, (
        select count(*) from reports r
        where r.id <> b.id
          and r.created_at between b.created_at - make_interval(days => ${repeatedText.days}) and b.created_at
          and md5(lower(regexp_replace(btrim(r.description), '\\s+', ' ', 'g'))) = md5(lower(regexp_replace(btrim(b.description), '\\s+', ' ', 'g')))
      ))), '[]'::json) from batch b) as copies`)
  const json = <T>(value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value ?? []) as T
  const candidates = new Map(json<[number | string, string, string][]>(row?.candidates)
    .map(([id, reference, description]) => [Number(id), { reference, trigrams: trigrams(description) }]))
  const near = new Map<number, { id: number; reference: string; similarity: number }[]>()
  const own = new Map(batch.map((r) => [r.id, trigrams(r.description)]))
  for (const [reportId, candidateId] of json<[number | string, number | string][]>(row?.pairs)) {
    const candidate = candidates.get(Number(candidateId))
    const text = own.get(Number(reportId))
    if (!candidate || !text) continue
    const similarity = trigramSimilarity(text, candidate.trigrams)
    if (similarity < nearDuplicate.similarity) continue
    const list = near.get(Number(reportId)) ?? []
    list.push({ id: Number(candidateId), reference: candidate.reference, similarity })
    near.set(Number(reportId), list)
  }
  const copies = new Map(json<[number | string, number | string][]>(row?.copies).map(([id, n]) => [Number(id), Number(n)]))
  for (const report of batch) {
    const flags: ComputedFlag[] = (near.get(report.id) ?? [])
      .sort((a, b) => b.similarity - a.similarity || b.id - a.id)
      .slice(0, 3)
      .map((r) => ({
        kind: 'near_duplicate',
        reason: `resembles ${r.reference} (${Math.round(r.similarity * 100)} % similar, same zone and category)`,
        details: { reference: r.reference, similarity: Math.round(r.similarity * 100) },
        start: 0,
        end: report.description.length,
        match: r.reference,
        relatedReportId: r.id,
      }))
    const count = copies.get(report.id) ?? 0
    if (count >= repeatedText.earlier) {
      flags.push({ kind: 'repeated_text', reason: `the same text was filed ${count} times before in ${repeatedText.days} days`, details: { count, days: repeatedText.days }, start: 0, end: report.description.length, match: report.description.slice(0, 200) })
    }
    result.set(report.id, flags)
  }
  return result
}

/**
 * Flags locked reports and marks them flagged: one query for the flags that need other reports, one insert for all
 * new flags and one update for all reports. Call inside a transaction.
 */
async function flagReports(tx: Db, rows: ReportRow[]): Promise<Map<number, ComputedFlag[]>> {
  const result = new Map<number, ComputedFlag[]>()
  const detected: { id: number; language: string | null }[] = []
  const fresh: { reportId: number; flag: ComputedFlag }[] = []
  const related = await findRelated(tx, rows)
  for (const [i, report] of rows.entries()) {
    // A report's checks take up to a millisecond of the app's thread: let waiting requests in between a few, so a
    // batch never holds intake answers back for its whole length.
    if (i > 0 && i % flagSlice === 0) await new Promise((resolve) => setImmediate(resolve))
    const { flags, detectedLanguage } = computeFlags(report.description, { language: report.language })
    flags.push(...related.get(report.id) ?? [])
    // Never flagged means no flags to replace: the first pass only inserts.
    if (report.flaggedAt === null) fresh.push(...flags.map((flag) => ({ reportId: report.id, flag })))
    else await saveFlags(tx, { reportId: report.id }, flags)
    detected.push({ id: report.id, language: detectedLanguage })
    result.set(report.id, flags)
  }
  await insertFlags(tx, fresh)
  if (detected.length > 0) {
    await tx.execute(sql`update reports set flagged_at = now(), detected_language = v.language
      from jsonb_to_recordset(${JSON.stringify(detected)}::jsonb) as v(id bigint, language text) where reports.id = v.id`)
  }
  return result
}

/** Flags one report's description and marks it flagged; returns the flags. Call inside a transaction. */
export async function flagReport(tx: Db, reportId: number): Promise<ComputedFlag[]> {
  const found = await tx.select().from(reports).where(eq(reports.id, reportId)).for('no key update')
  return (await flagReports(tx, found)).get(reportId) ?? []
}

/** Flags one resident reply. Call inside a transaction. */
export async function flagReply(tx: Db, updateId: number): Promise<ComputedFlag[]> {
  const [row] = await tx.select({ update: reportUpdates, reportLanguage: reports.language }).from(reportUpdates)
    .innerJoin(reports, eq(reports.id, reportUpdates.reportId))
    .where(eq(reportUpdates.id, updateId)).for('no key update', { of: reportUpdates })
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
      const pending = await tx.select().from(reports)
        .where(isNull(reports.flaggedAt)).orderBy(reports.id).limit(batch).for('no key update', { skipLocked: true })
      await flagReports(tx, pending)
      const replyIds = await tx.select({ id: reportUpdates.id }).from(reportUpdates)
        .where(and(isNull(reportUpdates.flaggedAt), eq(reportUpdates.author, 'reporter'))).orderBy(reportUpdates.id).limit(batch)
        .for('no key update', { skipLocked: true })
      for (const { id } of replyIds) await flagReply(tx, id)
      return pending.length + replyIds.length
    })
    total += done
    if (done === 0) return total
  }
  return total
}
