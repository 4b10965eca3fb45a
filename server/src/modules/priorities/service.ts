import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import type { TFunction } from 'i18next'
import type {
  BallotBody, CandidateInput, CommitBody, ProposalsReply, PublicCandidate, PublicRound, RoundInput, RoundState, StaffRound, ZonePriorities,
} from '@nabij/shared/api/priorities'
import type { Category } from '@nabij/shared/domain/categories'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { neighbourhoodPosts, priorityBallots, priorityCandidates, priorityRounds, reports, type PriorityCandidate, type PriorityRound } from '../../db/schema.js'
import {
  BallotAlreadyCast, BallotInvalid, BallotTokenInvalid, Forbidden, PostNotFound, PriorityNotFound, RangeInvalid, RoundClosed, RoundLocked, RoundNotFound,
  RoundStillOpen,
} from '../../errors.js'
import { audit } from '../audit/service.js'
import { receiptHash } from '../reports/receipt.js'
import type { StaffPrincipal } from '../staff/sessions.js'
import { officerZoneIds } from '../staff/access.js'
import { assertZone } from '../stats/service.js'
import { cellCentre, cellDegrees } from '../stats/diagnosis.js'
import { rowsOf } from '../../db/raw.js'
import { ballotTokenNonce, rankResults, voterKey } from './ballots.js'

type Actor = Pick<StaffPrincipal, 'id' | 'role'>

/** Officers act for the zones they hold today; admins for every zone. */
export async function assertZoneStaff(db: Db, staff: Actor, zoneId: number): Promise<void> {
  if (staff.role === 'admin') return
  if (staff.role === 'officer' && (await officerZoneIds(db, staff.id)).includes(zoneId)) return
  throw new Forbidden()
}

export function roundState(round: Pick<PriorityRound, 'opensAt' | 'closesAt'>, now = new Date()): RoundState {
  if (now < round.opensAt) return 'upcoming'
  return now < round.closesAt ? 'open' : 'closed'
}

// ---------------------------------------------------------------- proposals

/**
 * Drafts for a round: the zone's most reported categories and ~250 m cells over the last months. Officers edit them
 * before anything is public; a place is a cell centre, never a report's point.
 */
export async function proposals(db: Db, staff: Actor, zoneId: number, months: number, t: TFunction, now = new Date()): Promise<ProposalsReply> {
  await assertZone(db, zoneId)
  await assertZoneStaff(db, staff, zoneId)
  const since = new Date(now.getTime() - months * 30.44 * 86_400_000)
  const scope = sql`zone_id = ${zoneId} and moderation_state <> 'rejected_spam' and category <> 'police_conduct' and created_at >= ${since.toISOString()}::timestamptz`
  const { dLat, dLon } = cellDegrees()
  const [byCategory, byCell] = await Promise.all([
    rowsOf<{ category: Category; n: number }>(db, sql`
      select category, count(*)::int as n from reports where ${scope} group by category order by n desc, category limit 5`),
    rowsOf<{ lat: number; lon: number; category: Category; n: number }>(db, sql`
      with cells as (
        select floor(lat / ${dLat})::int as y, floor(lon / ${dLon})::int as x, category, count(*)::int as n,
          min(lat) as lat, min(lon) as lon
        from reports where ${scope} and lat is not null and lon is not null group by 1, 2, 3
      ), ranked as (
        select *, sum(n) over (partition by x, y)::int as total, row_number() over (partition by x, y order by n desc, category) as pos from cells
      )
      select lat, lon, category, total as n from ranked where pos = 1 order by total desc, y, x limit 5`),
  ])
  const label = (category: Category) => t(`category.${category}.label`)
  return {
    categories: byCategory.map((r) => ({ title: t('priority.proposal_category', { category: label(r.category) }), category: r.category, place: null, reports: r.n })),
    places: byCell.map((r) => ({ title: t('priority.proposal_place', { category: label(r.category) }), category: r.category, place: cellCentre(r.lat, r.lon), reports: r.n })),
  }
}

// ---------------------------------------------------------------- rounds (staff)

function roundTimes(input: RoundInput, now: Date): { opensAt: Date; closesAt: Date } {
  const opensAt = input.opensAt ? new Date(input.opensAt) : now
  const closesAt = new Date(input.closesAt)
  if (!(closesAt > opensAt) || closesAt <= now) throw new RangeInvalid()
  return { opensAt, closesAt }
}

const candidateRows = (roundId: number, candidates: CandidateInput[]) => candidates.map((c, position) => {
  const place = c.place ? cellCentre(c.place.lat, c.place.lon) : null
  return { roundId, position, title: c.title, description: c.description ?? '', category: c.category ?? null, lat: place?.lat ?? null, lon: place?.lon ?? null }
})

export async function createRound(db: Db, staff: Actor, zoneId: number, input: RoundInput, now = new Date()): Promise<StaffRound> {
  await assertZone(db, zoneId)
  await assertZoneStaff(db, staff, zoneId)
  const times = roundTimes(input, now)
  const id = await db.transaction(async (tx) => {
    const [round] = await tx.insert(priorityRounds).values({
      zoneId, title: input.title, intro: input.intro ?? '', language: input.language, ...times, createdByStaffId: staff.id,
    }).returning({ id: priorityRounds.id })
    await tx.insert(priorityCandidates).values(candidateRows(round!.id, input.candidates))
    await audit(tx, { staffId: staff.id, action: 'priority_round.created', targetType: 'priority_round', targetId: round!.id, detail: { zoneId } })
    return round!.id
  })
  return staffRound(db, staff, id, now)
}

/** Candidates may change only until the first ballot: a ballot ranks the choices it was shown. */
export async function updateRound(db: Db, staff: Actor, roundId: number, input: RoundInput, now = new Date()): Promise<StaffRound> {
  await db.transaction(async (tx) => {
    // FOR UPDATE: a ballot being cast holds the round FOR SHARE, so the two cannot interleave.
    const [round] = await tx.select().from(priorityRounds).where(eq(priorityRounds.id, roundId)).for('update')
    if (!round) throw new RoundNotFound(String(roundId))
    await assertZoneStaff(tx, staff, round.zoneId)
    if (roundState(round, now) === 'closed') throw new RoundClosed(String(roundId))
    const [cast] = await tx.select({ n: count() }).from(priorityBallots).where(eq(priorityBallots.roundId, roundId))
    if ((cast?.n ?? 0) > 0) throw new RoundLocked(String(roundId))
    const times = roundTimes(input, now)
    await tx.update(priorityRounds).set({ title: input.title, intro: input.intro ?? '', language: input.language, ...times, updatedAt: now })
      .where(eq(priorityRounds.id, roundId))
    await tx.delete(priorityCandidates).where(eq(priorityCandidates.roundId, roundId))
    await tx.insert(priorityCandidates).values(candidateRows(roundId, input.candidates))
    await audit(tx, { staffId: staff.id, action: 'priority_round.edited', targetType: 'priority_round', targetId: roundId })
  })
  return staffRound(db, staff, roundId, now)
}

/** After the round, the team names the candidates it commits to, in order; doing it again replaces the choice. */
export async function commitPriorities(db: Db, staff: Actor, roundId: number, body: CommitBody, now = new Date()): Promise<StaffRound> {
  await db.transaction(async (tx) => {
    const [round] = await tx.select().from(priorityRounds).where(eq(priorityRounds.id, roundId)).for('update')
    if (!round) throw new RoundNotFound(String(roundId))
    await assertZoneStaff(tx, staff, round.zoneId)
    if (roundState(round, now) !== 'closed') throw new RoundStillOpen(String(roundId))
    const candidates = await tx.select({ id: priorityCandidates.id }).from(priorityCandidates).where(eq(priorityCandidates.roundId, roundId))
    const known = new Set(candidates.map((c) => c.id))
    if (new Set(body.candidateIds).size !== body.candidateIds.length || body.candidateIds.some((id) => !known.has(id))) throw new PriorityNotFound(body.candidateIds.join(','))
    await tx.update(priorityCandidates).set({ committedRank: null }).where(eq(priorityCandidates.roundId, roundId))
    for (const [index, id] of body.candidateIds.entries()) {
      await tx.update(priorityCandidates).set({ committedRank: index + 1 }).where(eq(priorityCandidates.id, id))
    }
    await tx.update(priorityRounds).set({ committedAt: now, updatedAt: now }).where(eq(priorityRounds.id, roundId))
    await audit(tx, { staffId: staff.id, action: 'priority_round.committed', targetType: 'priority_round', targetId: roundId, detail: { candidateIds: body.candidateIds } })
  })
  return staffRound(db, staff, roundId, now)
}

/** Links a neighbourhood post to a committed priority of its zone (or unlinks it with null). */
export async function linkPostToPriority(db: Db, staff: Actor, postId: number, priorityId: number | null): Promise<{ postId: number; priorityId: number | null }> {
  return db.transaction(async (tx) => {
    const [post] = await tx.select({ zoneId: neighbourhoodPosts.zoneId }).from(neighbourhoodPosts).where(eq(neighbourhoodPosts.id, postId))
    if (!post) throw new PostNotFound(String(postId))
    await assertZoneStaff(tx, staff, post.zoneId)
    if (priorityId !== null) {
      const [priority] = await tx.select({ id: priorityCandidates.id }).from(priorityCandidates)
        .innerJoin(priorityRounds, eq(priorityRounds.id, priorityCandidates.roundId))
        .where(and(eq(priorityCandidates.id, priorityId), isNotNull(priorityCandidates.committedRank), eq(priorityRounds.zoneId, post.zoneId)))
      if (!priority) throw new PriorityNotFound(String(priorityId))
    }
    await tx.update(neighbourhoodPosts).set({ priorityId }).where(eq(neighbourhoodPosts.id, postId))
    await audit(tx, { staffId: staff.id, action: 'neighbourhood_post.priority_linked', targetType: 'neighbourhood_post', targetId: postId, detail: { priorityId } })
    return { postId, priorityId }
  })
}

// ---------------------------------------------------------------- ballots (public)

/**
 * One anonymous ballot per receipt code or per browser token and round. Nothing of the request (address, agent,
 * time) is stored: the row holds the round, the keyed voter hash and the ranking.
 */
export async function castBallot(db: Db, config: Pick<Config, 'sessionSecret' | 'receiptPepper'>, roundId: number, body: BallotBody, now = new Date()): Promise<{ roundId: number; accepted: true }> {
  let voter: { receiptHash: string } | { nonce: string }
  if (body.receiptCode !== undefined) {
    const hash = receiptHash(config.receiptPepper, body.receiptCode)
    const [report] = hash ? await db.select({ id: reports.id }).from(reports).where(eq(reports.receiptHash, hash)) : []
    if (!hash || !report) throw new BallotTokenInvalid()
    voter = { receiptHash: hash }
  } else {
    const nonce = body.token ? ballotTokenNonce(config.sessionSecret, body.token) : null
    if (!nonce) throw new BallotTokenInvalid()
    voter = { nonce }
  }
  if (new Set(body.ranking).size !== body.ranking.length) throw new BallotInvalid()

  await db.transaction(async (tx) => {
    const [round] = await tx.select().from(priorityRounds).where(eq(priorityRounds.id, roundId)).for('share')
    if (!round) throw new RoundNotFound(String(roundId))
    if (roundState(round, now) !== 'open') throw new RoundClosed(String(roundId))
    const candidates = await tx.select({ id: priorityCandidates.id }).from(priorityCandidates).where(eq(priorityCandidates.roundId, roundId))
    const known = new Set(candidates.map((c) => c.id))
    if (body.ranking.some((id) => !known.has(id))) throw new BallotInvalid()
    const inserted = await tx.insert(priorityBallots).values({ roundId, voterKey: voterKey(config.sessionSecret, roundId, voter), ranking: body.ranking })
      .onConflictDoNothing().returning({ id: priorityBallots.id })
    if (inserted.length === 0) throw new BallotAlreadyCast()
  })
  return { roundId, accepted: true }
}

// ---------------------------------------------------------------- views

function publicCandidate(c: PriorityCandidate): PublicCandidate {
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    category: (c.category as Category | null) ?? null,
    place: c.lat === null || c.lon === null ? null : { lat: c.lat, lon: c.lon },
  }
}

async function roundViews(db: Db, rounds: PriorityRound[], showRunningResults: boolean, now: Date): Promise<StaffRound[]> {
  if (rounds.length === 0) return []
  const ids = rounds.map((r) => r.id)
  const [candidates, ballots, borda] = await Promise.all([
    db.select().from(priorityCandidates).where(inArray(priorityCandidates.roundId, ids)).orderBy(asc(priorityCandidates.position)),
    db.select({ roundId: priorityBallots.roundId, n: count() }).from(priorityBallots).where(inArray(priorityBallots.roundId, ids)).groupBy(priorityBallots.roundId),
    // Borda in SQL: with n candidates, the k-th choice of a ballot is worth n − k + 1 points.
    rowsOf<{ round_id: number; candidate_id: number; points: number; first_choices: number }>(db, sql`
      select b.round_id, u.candidate_id, sum(c.n - u.ord + 1)::int as points, count(*) filter (where u.ord = 1)::int as first_choices
      from priority_ballots b
      cross join lateral unnest(b.ranking) with ordinality as u(candidate_id, ord)
      join (select round_id, count(*)::int as n from priority_candidates group by round_id) c on c.round_id = b.round_id
      where b.round_id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
      group by b.round_id, u.candidate_id`),
  ])
  return rounds.map((round) => {
    const own = candidates.filter((c) => c.roundId === round.id)
    const state = roundState(round, now)
    const cast = Number(ballots.find((b) => b.roundId === round.id)?.n ?? 0)
    const results = state === 'closed' || showRunningResults
      ? rankResults(own.map((c) => c.id), borda.filter((b) => b.round_id === round.id).map((b) => ({ candidateId: b.candidate_id, points: b.points, firstChoices: b.first_choices })))
      : null
    return {
      id: round.id,
      zoneId: round.zoneId,
      title: round.title,
      intro: round.intro,
      language: round.language,
      opensAt: round.opensAt.toISOString(),
      closesAt: round.closesAt.toISOString(),
      state,
      candidates: own.map(publicCandidate),
      ballots: cast,
      results,
      committed: own.filter((c) => c.committedRank !== null).sort((a, b) => a.committedRank! - b.committedRank!).map((c) => c.id),
      editable: cast === 0 && state !== 'closed',
    }
  })
}

export async function staffRound(db: Db, staff: Actor, roundId: number, now = new Date()): Promise<StaffRound> {
  const [round] = await db.select().from(priorityRounds).where(eq(priorityRounds.id, roundId))
  if (!round) throw new RoundNotFound(String(roundId))
  await assertZoneStaff(db, staff, round.zoneId)
  return (await roundViews(db, [round], true, now))[0]!
}

export async function staffZoneRounds(db: Db, staff: Actor, zoneId: number, now = new Date()): Promise<StaffRound[]> {
  await assertZone(db, zoneId)
  await assertZoneStaff(db, staff, zoneId)
  const rounds = await db.select().from(priorityRounds).where(eq(priorityRounds.zoneId, zoneId)).orderBy(desc(priorityRounds.closesAt))
  return roundViews(db, rounds, true, now)
}

/** The public sees results only once a round has closed, so early counts cannot steer later ballots. */
const publicView = ({ editable: _editable, ...round }: StaffRound): PublicRound => round

export async function publicRound(db: Db, roundId: number, now = new Date()): Promise<PublicRound> {
  const [round] = await db.select().from(priorityRounds).where(eq(priorityRounds.id, roundId))
  if (!round) throw new RoundNotFound(String(roundId))
  return publicView((await roundViews(db, [round], false, now))[0]!)
}

export async function publicZoneRounds(db: Db, zoneId: number, now = new Date()): Promise<PublicRound[]> {
  await assertZone(db, zoneId)
  const rounds = await db.select().from(priorityRounds).where(eq(priorityRounds.zoneId, zoneId)).orderBy(desc(priorityRounds.closesAt))
  return (await roundViews(db, rounds, false, now)).map(publicView)
}

/** "You said — we did": the zone's committed priorities, each with the published posts that report on it. */
export async function zonePriorities(db: Db, zoneId: number, now = new Date()): Promise<ZonePriorities> {
  await assertZone(db, zoneId)
  const committed = await db.select({ candidate: priorityCandidates, round: priorityRounds }).from(priorityCandidates)
    .innerJoin(priorityRounds, eq(priorityRounds.id, priorityCandidates.roundId))
    .where(and(eq(priorityRounds.zoneId, zoneId), isNotNull(priorityCandidates.committedRank)))
    .orderBy(desc(priorityRounds.closesAt), asc(priorityCandidates.committedRank))
  const ids = committed.map((c) => c.candidate.id)
  const posts = ids.length === 0 ? [] : await db.select().from(neighbourhoodPosts)
    .where(and(inArray(neighbourhoodPosts.priorityId, ids), isNull(neighbourhoodPosts.withdrawnAt), lte(neighbourhoodPosts.publishedAt, now)))
    .orderBy(desc(neighbourhoodPosts.publishedAt), desc(neighbourhoodPosts.id))
  return committed.map(({ candidate, round }) => ({
    ...publicCandidate(candidate),
    roundId: round.id,
    roundTitle: round.title,
    rank: candidate.committedRank!,
    committedAt: (round.committedAt ?? round.closesAt).toISOString(),
    posts: posts.filter((p) => p.priorityId === candidate.id).map((p) => ({
      id: p.id, title: p.title, body: p.body, language: p.language, publishedAt: p.publishedAt.toISOString(),
    })),
  }))
}
