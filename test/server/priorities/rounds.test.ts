import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicRound, StaffRound, ZonePriorities } from '../../../shared/src/api/priorities.js'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { neighbourhoodPosts, priorityRounds } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin, type TestStaff } from '../helpers/factories.js'
import { insertReports } from '../stats/rows.js'

let t: TestApp
let zoneId: number
let officer: TestStaff
let login: StaffLogin
const flagey = { lat: 50.8275, lon: 4.3721 }
const day = 86_400_000

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db, { around: flagey, radius: 0.02 })).id
  officer = await aStaff(t.db, { role: 'officer', zoneId })
  login = await loginAs(t.app, officer)
})
afterAll(() => t.close())

const roundBody = (overrides: Record<string, unknown> = {}) => ({
  title: 'What should we tackle first?',
  intro: 'Rank the issues; we commit to the top three.',
  language: 'nl',
  closesAt: new Date(Date.now() + 14 * day).toISOString(),
  candidates: [
    { title: 'Dealing near the station', category: 'drugs', place: { lat: 50.82761, lon: 4.37213 } },
    { title: 'Speeding on the avenue', category: 'traffic' },
    { title: 'Dark passage by the ponds', category: 'unsafe_place' },
  ],
  ...overrides,
})

async function openRound(body = roundBody()): Promise<StaffRound> {
  const res = await t.app.inject({ method: 'POST', url: `/api/staff/zones/${zoneId}/priority-rounds`, headers: login.headers, payload: body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

async function closeNow(roundId: number) {
  await t.db.update(priorityRounds).set({ opensAt: new Date(Date.now() - 20 * day), closesAt: new Date(Date.now() - 1000) }).where(eq(priorityRounds.id, roundId))
}

describe('priority proposals', () => {
  it('drafts candidates from the most reported categories and places, in the officer\'s language', async () => {
    const recent = new Date(Date.now() - 10 * day)
    await insertReports(t.db, [
      ...Array.from({ length: 6 }, () => ({ zoneId, category: 'drugs' as const, createdAt: recent, ...flagey })),
      ...Array.from({ length: 3 }, () => ({ zoneId, category: 'traffic' as const, createdAt: recent, lat: 50.835, lon: 4.38 })),
      ...Array.from({ length: 9 }, () => ({ zoneId, category: 'police_conduct' as const, createdAt: recent, ...flagey })),
    ])
    const res = await t.app.inject({ url: `/api/staff/zones/${zoneId}/priority-proposals?lang=fr`, headers: { cookie: login.cookie } })
    expect(res.statusCode, res.body).toBe(200)
    const { categories, places } = res.json()
    expect(categories.map((c: { category: string; reports: number }) => [c.category, c.reports])).toEqual([['drugs', 6], ['traffic', 3]])
    expect(categories[0].title).toBe(fr.priority.proposal_category.replace('{{category}}', fr.category.drugs.label))
    expect(places).toHaveLength(2)
    expect(places[0]).toMatchObject({ category: 'drugs', reports: 6 })
    // A cell centre, not the reports' exact point.
    expect(places[0].place).not.toEqual(flagey)
    expect(Math.abs(places[0].place.lat - flagey.lat)).toBeLessThan(0.0012)
  })
})

describe('priority rounds', () => {
  it('opens a round that the public sees as open, without results, with places snapped to a cell centre', async () => {
    const round = await openRound()
    expect(round).toMatchObject({ state: 'open', ballots: 0, editable: true, committed: [] })
    const res = await t.app.inject(`/api/public/zones/${zoneId}/priority-rounds`)
    const listed = (res.json() as PublicRound[]).find((r) => r.id === round.id)!
    expect(listed.state).toBe('open')
    expect(listed.results).toBeNull()
    expect(listed).not.toHaveProperty('editable')
    expect(listed.candidates.map((c) => c.title)).toEqual(['Dealing near the station', 'Speeding on the avenue', 'Dark passage by the ponds'])
    expect(listed.candidates[0]!.place).not.toEqual({ lat: 50.82761, lon: 4.37213 })
    expect(listed.candidates[1]!.place).toBeNull()
  })

  it('refuses officers of other zones, residents, and a closing date in the past', async () => {
    const other = await aZone(t.db, { around: { lat: 51.2, lon: 4.4 } })
    const stranger = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId: other.id }))
    const forbidden = await t.app.inject({ method: 'POST', url: `/api/staff/zones/${zoneId}/priority-rounds`, headers: stranger.headers, payload: roundBody() })
    expect(forbidden.statusCode).toBe(403)
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/staff/zones/${zoneId}/priority-rounds`, payload: roundBody() })
    expect(anonymous.statusCode).toBe(401)
    const past = await t.app.inject({
      method: 'POST', url: `/api/staff/zones/${zoneId}/priority-rounds?lang=fr`, headers: login.headers,
      payload: roundBody({ closesAt: new Date(Date.now() - day).toISOString() }),
    })
    expect(past.statusCode).toBe(400)
    expect(past.json()).toEqual({ code: 'RANGE_INVALID', message: fr.errors.RANGE_INVALID })
    const single = await t.app.inject({
      method: 'POST', url: `/api/staff/zones/${zoneId}/priority-rounds`, headers: login.headers, payload: roundBody({ candidates: [{ title: 'Only one' }] }),
    })
    expect(single.json().code).toBe('VALIDATION_FAILED')
  })

  it('lets officers edit the candidates until the first ballot, then locks them', async () => {
    const round = await openRound()
    const edited = await t.app.inject({
      method: 'PUT', url: `/api/staff/priority-rounds/${round.id}`, headers: login.headers,
      payload: roundBody({ candidates: [{ title: 'Bikes stolen at the school' }, { title: 'Noise on the square at night' }] }),
    })
    expect(edited.statusCode, edited.body).toBe(200)
    const candidates = (edited.json() as StaffRound).candidates
    expect(candidates.map((c) => c.title)).toEqual(['Bikes stolen at the school', 'Noise on the square at night'])

    const { token } = (await t.app.inject({ method: 'POST', url: '/api/public/ballot-tokens' })).json()
    const ballot = await t.app.inject({ method: 'POST', url: `/api/public/priority-rounds/${round.id}/ballots`, payload: { ranking: [candidates[1]!.id], token } })
    expect(ballot.statusCode, ballot.body).toBe(201)

    const locked = await t.app.inject({ method: 'PUT', url: `/api/staff/priority-rounds/${round.id}`, headers: login.headers, payload: roundBody() })
    expect(locked.statusCode).toBe(409)
    expect(locked.json().code).toBe('ROUND_LOCKED')
    const staffView = await t.app.inject({ url: `/api/staff/priority-rounds/${round.id}`, headers: { cookie: login.cookie } })
    expect(staffView.json()).toMatchObject({ editable: false, ballots: 1 })
    // Staff follow the running count; the public waits for the close.
    expect(staffView.json().results[0]).toMatchObject({ candidateId: candidates[1]!.id, rank: 1, points: 2 })
  })

  it('commits to priorities only after the round closes, then publishes results and commitments', async () => {
    const round = await openRound()
    const [a, b, c] = round.candidates.map((x) => x.id) as [number, number, number]
    const early = await t.app.inject({ method: 'PUT', url: `/api/staff/priority-rounds/${round.id}/commitments`, headers: login.headers, payload: { candidateIds: [a] } })
    expect(early.statusCode).toBe(409)
    expect(early.json().code).toBe('ROUND_STILL_OPEN')

    await closeNow(round.id)
    const foreign = await t.app.inject({ method: 'PUT', url: `/api/staff/priority-rounds/${round.id}/commitments`, headers: login.headers, payload: { candidateIds: [a, 999999] } })
    expect(foreign.json().code).toBe('PRIORITY_NOT_FOUND')
    const committed = await t.app.inject({ method: 'PUT', url: `/api/staff/priority-rounds/${round.id}/commitments`, headers: login.headers, payload: { candidateIds: [c, a] } })
    expect(committed.statusCode, committed.body).toBe(200)

    const pub = (await t.app.inject(`/api/public/priority-rounds/${round.id}`)).json() as PublicRound
    expect(pub.state).toBe('closed')
    expect(pub.committed).toEqual([c, a])
    expect(pub.results!.map((r) => r.candidateId).sort()).toEqual([a, b, c].sort())
    const edit = await t.app.inject({ method: 'PUT', url: `/api/staff/priority-rounds/${round.id}`, headers: login.headers, payload: roundBody() })
    expect(edit.json().code).toBe('ROUND_CLOSED')
  })
})

describe('you said — we did', () => {
  it('shows each committed priority with the published posts linked to it', async () => {
    const round = await openRound()
    const [a, b] = round.candidates.map((x) => x.id) as [number, number]
    await closeNow(round.id)
    await t.app.inject({ method: 'PUT', url: `/api/staff/priority-rounds/${round.id}/commitments`, headers: login.headers, payload: { candidateIds: [a] } })

    const [post, withdrawn] = await t.db.insert(neighbourhoodPosts).values([
      { zoneId, staffId: officer.id, title: 'Evening patrols at the station', body: 'Three evenings a week since March.', language: 'nl', publishedAt: new Date(Date.now() - day) },
      { zoneId, staffId: officer.id, title: 'Withdrawn', body: 'Gone', language: 'nl', withdrawnAt: new Date() },
    ]).returning()

    const link = (postId: number, priorityId: number | null) =>
      t.app.inject({ method: 'PUT', url: `/api/staff/neighbourhood-posts/${postId}/priority`, headers: login.headers, payload: { priorityId } })
    const notCommitted = await link(post!.id, b)
    expect(notCommitted.statusCode).toBe(404)
    expect(notCommitted.json().code).toBe('PRIORITY_NOT_FOUND')
    expect((await link(post!.id, a)).statusCode).toBe(200)
    expect((await link(withdrawn!.id, a)).statusCode).toBe(200)
    expect((await link(999999, a)).json().code).toBe('POST_NOT_FOUND')

    const priorities = (await t.app.inject(`/api/public/zones/${zoneId}/priorities`)).json() as ZonePriorities
    const mine = priorities.find((p) => p.id === a)!
    expect(mine).toMatchObject({ roundId: round.id, rank: 1, title: 'Dealing near the station', category: 'drugs' })
    expect(mine.posts.map((p) => p.title)).toEqual(['Evening patrols at the station'])
    expect(priorities.find((p) => p.id === b)).toBeUndefined()

    expect((await link(post!.id, null)).json()).toEqual({ postId: post!.id, priorityId: null })
  })
})
