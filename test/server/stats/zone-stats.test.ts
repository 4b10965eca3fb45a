import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Figure, ZoneStatsReply } from '../../../shared/src/api/stats.js'
import { categoryKeys, type Category } from '../../../shared/src/domain/categories.js'
import { closeReasons, type CloseReason } from '../../../shared/src/domain/statuses.js'
import en from '../../../shared/src/locales/en.json' with { type: 'json' }
import { startApp, type TestApp } from '../helpers/app.js'
import { aZone } from '../helpers/factories.js'
import { hours, insertReports, percentileCont, prng, type ReportRow } from './rows.js'

let t: TestApp
let zoneId: number
let otherZoneId: number
const seeded: ReportRow[] = []

const brusselsMonth = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/Brussels' }).slice(0, 7)
const weightedCategories: Category[] = ['drugs', 'drugs', 'drugs', 'nuisance', 'nuisance', 'nuisance', 'vandalism', 'vandalism', 'unsafe_place', 'unsafe_place', 'theft', 'traffic', 'hate_incident']
const weightedReasons: CloseReason[] = ['resolved', 'resolved', 'resolved', 'referred', 'no_action_possible', 'duplicate']

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db)).id
  otherZoneId = (await aZone(t.db, { around: { lat: 51.05, lon: 3.72 } })).id

  const random = prng(20250101)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
  const monthStarts = [Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1), Date.UTC(2025, 2, 1)]
  for (let i = 0; i < 180; i++) {
    const start = pick(monthStarts)
    // Whole minutes, spread over the first 27 days of the month.
    const created = new Date(start + Math.floor(random() * 27 * 24 * 60) * 60_000)
    const promised = pick([48, 72, 120])
    const row: ReportRow = { zoneId, category: pick(weightedCategories), createdAt: created, promisedResponseHours: promised }
    if (random() < 0.85) {
      const ack = new Date(created.getTime() + Math.floor(1 + random() * 200 * 60) * 60_000)
      row.acknowledgedAt = ack
      row.status = 'acknowledged'
      if (random() < 0.75) {
        row.firstPublicAnswerAt = new Date(ack.getTime() + Math.floor(random() * 150 * 60) * 60_000)
        row.status = 'in_progress'
        if (random() < 0.7) {
          row.status = 'closed'
          row.closeReason = pick(weightedReasons)
          row.closedAt = new Date(row.firstPublicAnswerAt.getTime() + hours(5))
        }
      }
    }
    seeded.push(row)
  }
  // Filed on 31 January at 23:30 UTC: already 1 February in Brussels.
  seeded.push({ zoneId, category: 'traffic', createdAt: new Date('2025-01-31T23:30:00Z') })
  await insertReports(t.db, seeded)
  // Neither spam nor another zone's reports count.
  await insertReports(t.db, Array.from({ length: 7 }, (_, i) => ({ zoneId, category: 'drugs' as const, createdAt: new Date(Date.UTC(2025, 0, 3 + i)), moderationState: 'rejected_spam' })))
  await insertReports(t.db, Array.from({ length: 9 }, (_, i) => ({ zoneId: otherZoneId, category: 'drugs' as const, createdAt: new Date(Date.UTC(2025, 0, 3 + i)) })))
})
afterAll(() => t.close())

async function stats(id: number, query: string): Promise<ZoneStatsReply> {
  const res = await t.app.inject(`/api/public/zones/${id}/stats?${query}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

/** An unsuppressed figure equals the independent value (rounded as the API rounds). */
function expectFigure(figure: Figure, expected: number | null, digits: number) {
  expect(figure.suppressed).toBe(false)
  if (expected === null) return expect(figure.value).toBeNull()
  expect(Math.abs(figure.value! - expected)).toBeLessThanOrEqual(0.5 / 10 ** digits + 1e-9)
}

describe('GET /api/public/zones/:id/stats', () => {
  it('publishes per-month figures equal to an independent computation over the seeded reports', async () => {
    const reply = await stats(zoneId, 'from=2025-01&to=2025-03')
    expect(reply.months.map((m) => m.month)).toEqual(['2025-01', '2025-02', '2025-03'])
    expect(reply.smallCountThreshold).toBe(5)

    for (const month of reply.months) {
      const rows = seeded.filter((r) => brusselsMonth(r.createdAt as Date) === month.month)
      const hoursFrom = (r: ReportRow, at: Date | null | undefined) => (at ? (at.getTime() - (r.createdAt as Date).getTime()) / 3_600_000 : null)
      const ack = rows.map((r) => hoursFrom(r, r.acknowledgedAt)).filter((h): h is number => h !== null)
      const answer = rows.map((r) => hoursFrom(r, r.firstPublicAnswerAt)).filter((h): h is number => h !== null)
      const withinPromise = rows.filter((r) => { const h = hoursFrom(r, r.firstPublicAnswerAt); return h !== null && h <= r.promisedResponseHours! }).length
      expect(rows.length).toBeGreaterThan(30)
      expect(ack.length).toBeGreaterThan(5)

      expectFigure(month.received, rows.length, 0)
      expectFigure(month.hoursToAcknowledgement.median, percentileCont(ack, 0.5), 1)
      expectFigure(month.hoursToAcknowledgement.p90, percentileCont(ack, 0.9), 1)
      expectFigure(month.hoursToFirstPublicAnswer.median, percentileCont(answer, 0.5), 1)
      expectFigure(month.hoursToFirstPublicAnswer.p90, percentileCont(answer, 0.9), 1)
      // Every seeded report is long past its promise, so the denominator is all of them.
      expectFigure(month.answeredWithinPromise.share, withinPromise / rows.length, 4)
      expectFigure(month.visibleAnswer.share, answer.length / rows.length, 4)

      const small = (n: number) => n > 0 && n < 5
      const categoryCounts = new Map(categoryKeys.map((c) => [c, rows.filter((r) => r.category === c).length]))
      const primary = [...categoryCounts.values()].filter(small).length
      let secondary = 0
      for (const { category, count } of month.byCategory) {
        const n = categoryCounts.get(category)!
        if (!count.suppressed) expect(count.value).toBe(n)
        else if (!small(n)) secondary++
      }
      expect(secondary).toBe(primary === 1 ? 1 : 0)

      for (const { reason, share } of month.closeReasons) {
        const n = rows.filter((r) => r.status === 'closed' && r.closeReason === reason).length
        if (small(n)) expect(share).toEqual({ value: null, suppressed: true })
        else expectFigure(share, n / rows.length, 4)
      }
      expect(month.closeReasons.map((c) => c.reason)).toEqual([...closeReasons])
    }
  })

  it('counts a report in the Brussels month it was filed in, not the UTC month', async () => {
    const reply = await stats(zoneId, 'from=2025-01&to=2025-02')
    const inJanuaryUtc = seeded.filter((r) => (r.createdAt as Date).toISOString().startsWith('2025-01')).length
    const inJanuaryBrussels = seeded.filter((r) => brusselsMonth(r.createdAt as Date) === '2025-01').length
    expect(inJanuaryUtc).toBe(inJanuaryBrussels + 1)
    expect(reply.months[0]!.received.value).toBe(inJanuaryBrussels)
  })

  it('shows months without reports as zero, with nothing to measure', async () => {
    const reply = await stats(zoneId, 'from=2024-11&to=2024-12')
    expect(reply.months).toHaveLength(2)
    for (const month of reply.months) {
      expect(month.received).toEqual({ value: 0, suppressed: false })
      expect(month.hoursToAcknowledgement.median).toEqual({ value: null, suppressed: false })
      expect(month.visibleAnswer.share).toEqual({ value: null, suppressed: false })
      expect(month.byCategory.every((c) => c.count.value === 0)).toBe(true)
    }
  })

  it('answers 404 ZONE_NOT_FOUND for an unknown zone and 400 RANGE_INVALID for a reversed period', async () => {
    const missing = await t.app.inject('/api/public/zones/999999/stats?lang=en')
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toEqual({ code: 'ZONE_NOT_FOUND', message: en.errors.ZONE_NOT_FOUND })
    const reversed = await t.app.inject(`/api/public/zones/${zoneId}/stats?from=2025-03&to=2025-01&lang=en`)
    expect(reversed.statusCode).toBe(400)
    expect(reversed.json()).toEqual({ code: 'RANGE_INVALID', message: en.errors.RANGE_INVALID })
    const tooLong = await t.app.inject(`/api/public/zones/${zoneId}/stats?from=2020-01&to=2025-01`)
    expect(tooLong.json().code).toBe('RANGE_INVALID')
    const malformed = await t.app.inject(`/api/public/zones/${zoneId}/stats?from=2025-13`)
    expect(malformed.json().code).toBe('VALIDATION_FAILED')
  })
})

describe('small-count suppression', () => {
  it('shows "< 5" for one to four reports and for every figure resting on them', async () => {
    const zone = await aZone(t.db, { around: { lat: 50.85, lon: 4.35 } })
    const created = new Date('2025-05-10T10:00:00Z')
    await insertReports(t.db, [1, 2, 3].map((h) => ({
      zoneId: zone.id, category: 'hate_incident' as const, createdAt: created,
      acknowledgedAt: new Date(created.getTime() + hours(h)), firstPublicAnswerAt: new Date(created.getTime() + hours(h + 1)),
      status: 'closed', closeReason: 'resolved', closedAt: new Date(created.getTime() + hours(h + 2)),
    })))
    const [month] = (await stats(zone.id, 'from=2025-05&to=2025-05')).months
    const hidden = { value: null, suppressed: true }
    expect(month!.received).toEqual(hidden)
    expect(month!.byCategory.find((c) => c.category === 'hate_incident')!.count).toEqual(hidden)
    expect(month!.byCategory.find((c) => c.category === 'drugs')!.count).toEqual({ value: 0, suppressed: false })
    expect(month!.hoursToAcknowledgement).toEqual({ median: hidden, p90: hidden })
    expect(month!.hoursToFirstPublicAnswer).toEqual({ median: hidden, p90: hidden })
    expect(month!.answeredWithinPromise.share).toEqual(hidden)
    expect(month!.visibleAnswer.share).toEqual(hidden)
    expect(month!.closeReasons.find((c) => c.reason === 'resolved')!.share).toEqual(hidden)
  })

  it('hides a second category when the total would give a single suppressed one away', async () => {
    const zone = await aZone(t.db, { around: { lat: 50.86, lon: 4.36 } })
    const createdAt = new Date('2025-06-10T10:00:00Z')
    await insertReports(t.db, [
      ...Array.from({ length: 9 }, () => ({ zoneId: zone.id, category: 'drugs' as const, createdAt })),
      ...Array.from({ length: 6 }, () => ({ zoneId: zone.id, category: 'nuisance' as const, createdAt })),
      { zoneId: zone.id, category: 'hate_incident' as const, createdAt },
    ])
    const [month] = (await stats(zone.id, 'from=2025-06&to=2025-06')).months
    const count = (c: Category) => month!.byCategory.find((x) => x.category === c)!.count
    expect(month!.received).toEqual({ value: 16, suppressed: false })
    expect(count('hate_incident').suppressed).toBe(true)
    // 16 − 9 − 0… would reveal the single hate incident; the smallest other count (6) is hidden with it.
    expect(count('nuisance').suppressed).toBe(true)
    expect(count('drugs')).toEqual({ value: 9, suppressed: false })
  })

  it('does not count a report still inside its promised time as late', async () => {
    const zone = await aZone(t.db, { around: { lat: 50.87, lon: 4.37 } })
    const now = Date.now()
    await insertReports(t.db, [
      // Five answered in time, five waiting but still inside their 72 hours: 100 % so far, not 50 %.
      ...Array.from({ length: 5 }, () => ({ zoneId: zone.id, category: 'drugs' as const, createdAt: new Date(now - hours(10)), firstPublicAnswerAt: new Date(now - hours(9)) })),
      ...Array.from({ length: 5 }, () => ({ zoneId: zone.id, category: 'drugs' as const, createdAt: new Date(now - hours(10)) })),
    ])
    const month = (await stats(zone.id, '')).months.find((m) => m.received.value === 10)!
    expect(month.answeredWithinPromise.share).toEqual({ value: 1, suppressed: false })
    expect(month.visibleAnswer.share).toEqual({ value: 0.5, suppressed: false })
  })
})
