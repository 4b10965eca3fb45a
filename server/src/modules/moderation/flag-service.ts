import { and, eq, isNull, sql } from 'drizzle-orm'
import type { ComputedFlag } from '@nabij/shared/moderation/flags'
import type { Db } from '../../db/connect.js'
import { moderationFlags, reports, reportUpdates } from '../../db/schema.js'
import { rowsOf } from '../stats/sql.js'
import { computeFlags } from './flags.js'

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

/** Replaces the flags of one text (a report's description, or one reply) with a freshly computed set. */
export async function saveFlags(tx: Db, target: { reportId: number; updateId?: number | null }, flags: readonly ComputedFlag[]): Promise<void> {
  const updateId = target.updateId ?? null
  await tx.delete(moderationFlags).where(and(
    eq(moderationFlags.reportId, target.reportId),
    updateId === null ? isNull(moderationFlags.updateId) : eq(moderationFlags.updateId, updateId),
  ))
  if (flags.length > 0) await insertFlags(tx, target, flags)
}

async function insertFlags(tx: Db, target: { reportId: number; updateId?: number | null }, flags: readonly ComputedFlag[]): Promise<void> {
  await tx.insert(moderationFlags).values(flags.map((f) => flagRow(target, f)))
}

function flagRow(target: { reportId: number; updateId?: number | null }, f: ComputedFlag): typeof moderationFlags.$inferInsert {
  return {
    reportId: target.reportId,
    updateId: target.updateId ?? null,
    kind: f.kind,
    reason: f.reason,
    start: f.start,
    end: f.end,
    match: f.match,
    relatedReportId: f.relatedReportId ?? null,
  }
}

type ReportRow = typeof reports.$inferSelect

/**
 * The flags that need other reports, for a whole batch in one query: per report, earlier still-standing reports it
 * probably repeats, and how often the same text was filed in the days before. Each candidate's similarity is
 * computed once (`offset 0` keeps the planner from copying it into the filter).
 */
async function findRelated(tx: Db, batch: ReportRow[]): Promise<Map<number, ComputedFlag[]>> {
  const result = new Map<number, ComputedFlag[]>()
  if (batch.length === 0) return result
  const rows = await rowsOf<{ id: number | string; near: unknown; copies: number | string }>(tx, sql`
    select b.id,
      (select coalesce(json_agg(d), '[]'::json) from (
        select c.id, c.reference, c.similarity from (
          select r.id, r.reference, similarity(r.description, b.description) as similarity
          from (
            select id, reference, description, lat, lon from reports
            where id < b.id
              and category = b.category
              and zone_id is not distinct from b.zone_id
              and moderation_state not in ('merged', 'rejected_spam', 'rejected_abuse')
              and created_at >= b.created_at - make_interval(days => ${nearDuplicate.days})
            order by id desc
            limit ${nearDuplicate.candidates}
          ) r
          where r.lat is null or b.lat is null or
            2 * 6371000 * asin(sqrt(
              power(sin(radians(r.lat - b.lat) / 2), 2)
              + cos(radians(r.lat)) * cos(radians(b.lat)) * power(sin(radians(r.lon - b.lon) / 2), 2)
            )) <= ${nearDuplicate.metres}
          offset 0
        ) c
        where c.similarity >= ${nearDuplicate.similarity}
        order by c.similarity desc, c.id desc
        limit 3
      ) d) as near,
      (select count(*) from reports r
        where r.id <> b.id
          and r.created_at between b.created_at - make_interval(days => ${repeatedText.days}) and b.created_at
          and md5(lower(regexp_replace(btrim(r.description), '\\s+', ' ', 'g'))) = md5(lower(regexp_replace(btrim(b.description), '\\s+', ' ', 'g')))
      ) as copies
    from reports b
    where b.id in (${sql.join(batch.map((r) => sql`${r.id}::bigint`), sql`, `)})`)
  const byId = new Map(batch.map((r) => [r.id, r]))
  for (const row of rows) {
    const report = byId.get(Number(row.id))!
    const nearRows = (typeof row.near === 'string' ? JSON.parse(row.near) : row.near ?? []) as { id: number; reference: string; similarity: number }[]
    const flags: ComputedFlag[] = nearRows.map((r) => ({
      kind: 'near_duplicate',
      reason: `resembles ${r.reference} (${Math.round(Number(r.similarity) * 100)} % similar, same zone and category)`,
      start: 0,
      end: report.description.length,
      match: r.reference,
      relatedReportId: Number(r.id),
    }))
    const copies = Number(row.copies ?? 0)
    if (copies >= repeatedText.earlier) {
      flags.push({ kind: 'repeated_text', reason: `the same text was filed ${copies} times before in ${repeatedText.days} days`, start: 0, end: report.description.length, match: report.description.slice(0, 200) })
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
  for (const report of rows) {
    const { flags, detectedLanguage } = computeFlags(report.description, { language: report.language })
    flags.push(...related.get(report.id) ?? [])
    // Never flagged means no flags to replace: the first pass only inserts.
    if (report.flaggedAt === null) fresh.push(...flags.map((flag) => ({ reportId: report.id, flag })))
    else await saveFlags(tx, { reportId: report.id }, flags)
    detected.push({ id: report.id, language: detectedLanguage })
    result.set(report.id, flags)
  }
  if (fresh.length > 0) await tx.insert(moderationFlags).values(fresh.map(({ reportId, flag }) => flagRow({ reportId }, flag)))
  if (detected.length > 0) {
    const values = sql.join(detected.map((d) => sql`(${d.id}::bigint, ${d.language}::text)`), sql`, `)
    await tx.execute(sql`update reports set flagged_at = now(), detected_language = v.language from (values ${values}) as v(id, language) where reports.id = v.id`)
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
