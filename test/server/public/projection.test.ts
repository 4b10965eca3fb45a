import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { generalise, gridStep } from '../../../server/src/modules/public/service.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aZone } from '../helpers/factories.js'
import { aReport, anUpdate } from '../moderation/helpers.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

const published = { moderationState: 'published_original' } as const
const list = async (query: string) => {
  const res = await t.app.inject(`/api/public/reports?${query}`)
  expect(res.statusCode).toBe(200)
  return res.json() as { items: { reference: string; location: { lat: number; lon: number } | null }[]; total: number; page: number; pageSize: number }
}
const refs = (body: { items: { reference: string }[] }) => body.items.map((i) => i.reference)

describe('generalised location', () => {
  it('snaps a point to the centre of its ~100 m grid cell', () => {
    const exact = { lat: 50.827512, lon: 4.372134 }
    const cell = generalise(exact.lat, exact.lon)
    expect(cell).not.toEqual(exact)
    expect(Math.abs(cell.lat - exact.lat)).toBeLessThanOrEqual(gridStep.lat / 2)
    expect(Math.abs(cell.lon - exact.lon)).toBeLessThanOrEqual(gridStep.lon / 2)
    // ~100 m: 0.0009° of latitude is 100 m; 0.0014° of longitude at 50.8° N is about 98 m.
    expect(gridStep.lat * 111_320).toBeCloseTo(100, -1)
    expect(gridStep.lon * 111_320 * Math.cos((50.8 * Math.PI) / 180)).toBeCloseTo(100, -1)
    expect(generalise(exact.lat + 0.0001, exact.lon - 0.0001)).toEqual(cell)
  })
})

describe('GET /api/public/reports/:ref', () => {
  it('shows the category, moderated text, zone, status, generalised place, hour and the officers’ public updates only', async () => {
    const zone = await aZone(t.db, { around: { lat: 50.8275, lon: 4.3721 }, name: 'Flagey' })
    const filedAt = new Date('2026-03-14T21:47:13.123Z')
    const report = await aReport(t.db, {
      ...published, zoneId: zone.id, category: 'vandalism', status: 'in_progress', lat: 50.827512, lon: 4.372134, createdAt: filedAt,
      description: 'Graffiti op de gevel van de bibliotheek.',
    })
    await anUpdate(t.db, report.id, { kind: 'canned', cannedKey: 'received', text: null, language: null, createdAt: new Date('2026-03-15T08:59:59Z') })
    await anUpdate(t.db, report.id, { text: 'Interne notitie: bewakingsbeelden opvragen.', visibility: 'internal' })
    await anUpdate(t.db, report.id, { text: 'Alleen voor de melder.', visibility: 'reporter' })
    await anUpdate(t.db, report.id, { author: 'reporter', visibility: 'public', text: 'De dader heet Kevin.', moderationState: 'pending' })
    await anUpdate(t.db, report.id, { author: 'system', kind: 'status', cannedKey: 'status.in_progress', text: null, language: null })

    const res = await t.app.inject(`/api/public/reports/${report.reference}?lang=fr`)

    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({
      reference: report.reference,
      category: 'vandalism',
      text: 'Graffiti op de gevel van de bibliotheek.',
      textKind: 'original',
      zone: { id: zone.id, name: 'Flagey' },
      status: 'in_progress',
      closeReason: null,
      location: generalise(50.827512, 4.372134),
      filedAt: '2026-03-14T21:00:00.000Z',
      photos: [],
    })
    expect(body.updates.map((u: { author: string; text: string; at: string }) => [u.author, u.text, u.at.slice(14)])).toEqual([
      ['staff', fr.update.received, '00:00.000Z'],
      ['system', fr.status.in_progress, '00:00.000Z'],
    ])
    expect(body.updates[0].at).toBe('2026-03-15T08:00:00.000Z')
    for (const secret of ['Interne notitie', 'Alleen voor de melder', 'Kevin', '50.827512', '4.372134', '21:47']) expect(res.body).not.toContain(secret)
  })

  it('answers 404 for a pending, private, rejected or merged report, and for a summary decision without a summary', async () => {
    for (const moderationState of ['pending', 'private', 'rejected_spam', 'rejected_abuse', 'merged', 'published_summary'] as const) {
      const report = await aReport(t.db, { moderationState })
      const res = await t.app.inject(`/api/public/reports/${report.reference}`)
      expect(res.statusCode, moderationState).toBe(404)
      expect(res.json().code).toBe('REPORT_NOT_FOUND')
    }
  })
})

describe('GET /api/public/reports', () => {
  it('filters by zone, category and status, newest first, paged', async () => {
    const zone = await aZone(t.db, { around: { lat: 51.0543, lon: 3.7174 } })
    const at = { zoneId: zone.id, lat: 51.0543, lon: 3.7174 }
    const a = await aReport(t.db, { ...published, ...at, category: 'drugs', status: 'new' })
    const b = await aReport(t.db, { ...published, ...at, category: 'drugs', status: 'closed', closeReason: 'resolved' })
    const c = await aReport(t.db, { moderationState: 'published_summary', publicSummary: 'Lawaai.', ...at, category: 'nuisance', status: 'in_progress' })
    await aReport(t.db, { ...at, category: 'drugs' })

    expect(refs(await list(`zone=${zone.id}`))).toEqual([c.reference, b.reference, a.reference])
    expect(refs(await list(`zone=${zone.id}&category=drugs`))).toEqual([b.reference, a.reference])
    expect(refs(await list(`zone=${zone.id}&status=open`))).toEqual([c.reference, a.reference])
    expect(refs(await list(`zone=${zone.id}&status=closed`))).toEqual([b.reference])
    const page2 = await list(`zone=${zone.id}&pageSize=2&page=2`)
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 2 })
    expect(refs(page2)).toEqual([a.reference])
  })

  it('compares a bounding box with the generalised location, never the exact one', async () => {
    const zone = await aZone(t.db, { around: { lat: 50.6326, lon: 5.5797 } })
    const exact = { lat: 50.63261, lon: 5.57971 }
    const cell = generalise(exact.lat, exact.lon)
    const report = await aReport(t.db, { ...published, zoneId: zone.id, ...exact })
    const around = (p: { lat: number; lon: number }, d: number) => `${p.lon - d},${p.lat - d},${p.lon + d},${p.lat + d}`

    expect(refs(await list(`zone=${zone.id}&bbox=${around(cell, 0.00001)}`))).toEqual([report.reference])
    // A tiny box around the exact point, away from the cell centre, finds nothing: the box cannot pin the point.
    expect(refs(await list(`zone=${zone.id}&bbox=${around(exact, 0.00001)}`))).toEqual([])
    expect((await list(`zone=${zone.id}`)).items[0]!.location).toEqual(cell)
  })

  it('refuses a malformed bounding box with VALIDATION_FAILED', async () => {
    const res = await t.app.inject('/api/public/reports?bbox=everything')
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('VALIDATION_FAILED')
  })
})
