import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicRound, StaffRound } from '../../../shared/src/api/priorities.js'
import en from '../../../shared/src/locales/en.json' with { type: 'json' }
import { priorityBallots, priorityRounds } from '../../../server/src/db/schema.js'
import { receiptHash } from '../../../server/src/modules/reports/receipt.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'
import { insertReports, prng } from '../stats/rows.js'

let t: TestApp
let zoneId: number
let login: StaffLogin
const day = 86_400_000
const receiptCode = '1234 5678 9012 3456'

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db)).id
  login = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId }))
  await insertReports(t.db, [{ zoneId, category: 'drugs', createdAt: new Date(), receiptHash: receiptHash(t.config.receiptPepper, receiptCode) }])
})
afterAll(() => t.close())

async function openRound(candidates = 4, opensAt?: Date): Promise<StaffRound> {
  const res = await t.app.inject({
    method: 'POST', url: `/api/staff/zones/${zoneId}/priority-rounds`, headers: login.headers,
    payload: {
      title: 'Priorities', language: 'en', closesAt: new Date(Date.now() + 7 * day).toISOString(),
      ...(opensAt ? { opensAt: opensAt.toISOString() } : {}),
      candidates: Array.from({ length: candidates }, (_, i) => ({ title: `Issue ${i + 1}` })),
    },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

const newToken = async (): Promise<string> => (await t.app.inject({ method: 'POST', url: '/api/public/ballot-tokens' })).json().token
const vote = (roundId: number, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: `/api/public/priority-rounds/${roundId}/ballots?lang=en`, payload, headers })

describe('POST /api/public/priority-rounds/:id/ballots', () => {
  it('publishes the Borda count of the ballots once the round closes', async () => {
    const round = await openRound(4)
    const ids = round.candidates.map((c) => c.id)
    const random = prng(7)
    const ballots: number[][] = []
    for (let i = 0; i < 23; i++) {
      // Partial rankings too: a ballot may leave candidates out.
      const shuffled = [...ids].sort(() => random() - 0.5)
      ballots.push(shuffled.slice(0, 1 + Math.floor(random() * ids.length)))
    }
    for (const ranking of ballots) expect((await vote(round.id, { ranking, token: await newToken() })).statusCode).toBe(201)

    // Independently: the k-th choice of a ballot over n candidates is worth n − k + 1 points.
    const points = new Map(ids.map((id) => [id, 0]))
    const firsts = new Map(ids.map((id) => [id, 0]))
    for (const ranking of ballots) {
      ranking.forEach((id, k) => points.set(id, points.get(id)! + ids.length - k))
      firsts.set(ranking[0]!, firsts.get(ranking[0]!)! + 1)
    }

    expect(((await t.app.inject(`/api/public/priority-rounds/${round.id}`)).json() as PublicRound).results).toBeNull()
    await t.db.update(priorityRounds).set({ opensAt: new Date(Date.now() - 8 * day), closesAt: new Date(Date.now() - 1000) }).where(eq(priorityRounds.id, round.id))
    const closed = (await t.app.inject(`/api/public/priority-rounds/${round.id}`)).json() as PublicRound
    expect(closed.ballots).toBe(23)
    for (const result of closed.results!) {
      expect(result.points).toBe(points.get(result.candidateId))
      expect(result.firstChoices).toBe(firsts.get(result.candidateId))
    }
    const order = closed.results!.map((r) => r.points)
    expect(order).toEqual([...order].sort((a, b) => b - a))
    expect(closed.results![0]!.rank).toBe(1)
  })

  it('accepts one ballot per receipt code in a round, and the same receipt again in another round', async () => {
    const first = await openRound(2)
    const second = await openRound(2)
    expect((await vote(first.id, { ranking: [first.candidates[0]!.id], receiptCode })).statusCode).toBe(201)
    // Spaces or dashes do not make it another code.
    const again = await vote(first.id, { ranking: [first.candidates[1]!.id], receiptCode: receiptCode.replaceAll(' ', '-') })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toEqual({ code: 'BALLOT_ALREADY_CAST', message: en.errors.BALLOT_ALREADY_CAST })
    expect((await vote(second.id, { ranking: [second.candidates[1]!.id], receiptCode })).statusCode).toBe(201)

    const unknown = await vote(first.id, { ranking: [first.candidates[0]!.id], receiptCode: '9999 9999 9999 9999' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toEqual({ code: 'BALLOT_TOKEN_INVALID', message: en.errors.BALLOT_TOKEN_INVALID })
  })

  it('accepts one ballot per browser token and refuses a forged or missing one', async () => {
    const round = await openRound(3)
    const token = await newToken()
    const ranking = [round.candidates[2]!.id, round.candidates[0]!.id]
    expect((await vote(round.id, { ranking, token })).statusCode).toBe(201)
    expect((await vote(round.id, { ranking, token })).json().code).toBe('BALLOT_ALREADY_CAST')

    const [version, nonce] = token.split('.')
    const forged = await vote(round.id, { ranking, token: `${version}.${nonce}.${'A'.repeat(43)}` })
    expect(forged.statusCode).toBe(400)
    expect(forged.json().code).toBe('BALLOT_TOKEN_INVALID')
    expect((await vote(round.id, { ranking })).json().code).toBe('BALLOT_TOKEN_INVALID')
  })

  it('stores no IP address, user agent, time or token: only the round, a keyed voter hash and the ranking', async () => {
    const round = await openRound(2)
    const token = await newToken()
    const ip = '203.0.113.77'
    const res = await vote(round.id, { ranking: [round.candidates[1]!.id], token }, { 'x-forwarded-for': ip, 'user-agent': 'NabijTestAgent/1.0' })
    expect(res.statusCode).toBe(201)

    const rows = await t.db.select().from(priorityBallots).where(eq(priorityBallots.roundId, round.id))
    expect(rows).toHaveLength(1)
    expect(Object.keys(rows[0]!).sort()).toEqual(['id', 'ranking', 'roundId', 'voterKey'])
    const nonce = token.split('.')[1]!
    expect(rows[0]!.voterKey).not.toContain(nonce)
    expect(rows[0]!.voterKey).not.toContain(token)
    // Nothing anywhere in the database mentions the address or the agent.
    const dump = await t.db.execute(sql`select string_agg(t::text, ' ') as all from (
      select row_to_json(b)::text as t from priority_ballots b union all select row_to_json(a)::text from audit_log a
      union all select row_to_json(e)::text from events e) x`)
    const text = String((dump as unknown as { rows: { all: string | null }[] }).rows[0]!.all ?? '')
    expect(text).not.toContain(ip)
    expect(text).not.toContain('NabijTestAgent')
  })

  it('refuses a ranking with repeated or foreign candidates, and ballots outside the voting dates', async () => {
    const round = await openRound(3)
    const other = await openRound(2)
    const [a, b] = round.candidates.map((c) => c.id) as [number, number]
    const repeated = await vote(round.id, { ranking: [a, b, a], token: await newToken() })
    expect(repeated.statusCode).toBe(400)
    expect(repeated.json().code).toBe('BALLOT_INVALID')
    expect((await vote(round.id, { ranking: [a, other.candidates[0]!.id], token: await newToken() })).json().code).toBe('BALLOT_INVALID')

    const upcoming = await openRound(2, new Date(Date.now() + day))
    const early = await vote(upcoming.id, { ranking: [upcoming.candidates[0]!.id], token: await newToken() })
    expect(early.statusCode).toBe(409)
    expect(early.json()).toEqual({ code: 'ROUND_CLOSED', message: en.errors.ROUND_CLOSED })

    await t.db.update(priorityRounds).set({ opensAt: new Date(Date.now() - 8 * day), closesAt: new Date(Date.now() - 1000) }).where(eq(priorityRounds.id, other.id))
    expect((await vote(other.id, { ranking: [other.candidates[0]!.id], token: await newToken() })).json().code).toBe('ROUND_CLOSED')
    expect((await vote(999999, { ranking: [a], token: await newToken() })).json().code).toBe('ROUND_NOT_FOUND')
  })
})
