import { and, eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moderationFlags, reportUpdates, reports } from '../../../server/src/db/schema.js'
import { flagPending, flagReport } from '../../../server/src/modules/moderation/flag-service.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aZone } from '../helpers/factories.js'
import { aReport, anUpdate, reload } from './helpers.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

const flagsOf = (reportId: number, updateId: number | null = null) => t.db.select().from(moderationFlags)
  .where(and(eq(moderationFlags.reportId, reportId), updateId === null ? isNull(moderationFlags.updateId) : eq(moderationFlags.updateId, updateId)))

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000)
const flagey = { lat: 50.8275, lon: 4.3721 }

describe('flagPending', () => {
  it('flags every unflagged report and resident reply once, with spans and the detected language', async () => {
    const report = await aReport(t.db, {
      description: 'Des jeunes vendent de la drogue devant le 12, rue Haute. Appelez le 0470 12 34 56.',
      language: 'nl',
    })
    const reply = await anUpdate(t.db, report.id, { author: 'reporter', visibility: 'reporter', text: 'Hij heet Jan, jan.peeters@telenet.be', moderationState: 'pending' })
    const staffNote = await anUpdate(t.db, report.id, { author: 'staff', visibility: 'public', text: 'Bel 0470 12 34 56 niet.' })

    await flagPending(t.db)

    const flags = await flagsOf(report.id)
    expect(flags.map((f) => f.kind).sort()).toEqual(['address', 'language_mismatch', 'phone'])
    for (const f of flags.filter((f) => f.kind !== 'language_mismatch')) expect(report.description.slice(f.start, f.end)).toBe(f.match)
    const after = await reload(t.db, report.id)
    expect(after.flaggedAt).not.toBeNull()
    expect(after.detectedLanguage).toBe('fr')
    expect((await flagsOf(report.id, reply.id)).map((f) => f.kind)).toEqual(['email'])
    // Officers' own updates are not resident text: they are not flagged.
    const [note] = await t.db.select().from(reportUpdates).where(eq(reportUpdates.id, staffNote.id))
    expect(note!.flaggedAt).toBeNull()

    // A second drain finds nothing new and leaves the flags as they were.
    expect(await flagPending(t.db)).toBe(0)
    expect(await flagsOf(report.id)).toHaveLength(3)
  })

  it('flags a near-duplicate in the same zone and category, close by and within days, naming the earlier report', async () => {
    const zone = await aZone(t.db, { around: flagey })
    const first = await aReport(t.db, { zoneId: zone.id, category: 'drugs', description: 'Elke avond wordt er gedeald bij het speelpleintje achter de school.', createdAt: hoursAgo(30), flaggedAt: new Date() })
    const same = await aReport(t.db, { zoneId: zone.id, category: 'drugs', description: 'Elke avond wordt gedeald aan het speelpleintje achter de school!', lat: flagey.lat + 0.001, lon: flagey.lon })
    const farAway = await aReport(t.db, { zoneId: zone.id, category: 'drugs', description: 'Elke avond wordt er gedeald bij het speelpleintje achter de school.', lat: flagey.lat + 0.01, lon: flagey.lon })
    const otherCategory = await aReport(t.db, { zoneId: zone.id, category: 'nuisance', description: 'Elke avond wordt er gedeald bij het speelpleintje achter de school.' })
    const unrelated = await aReport(t.db, { zoneId: zone.id, category: 'drugs', description: 'Een auto met draaiende motor staat al uren voor de bakker.' })

    await t.db.transaction(async (tx) => {
      for (const r of [same, farAway, otherCategory, unrelated]) await flagReport(tx, r.id)
    })

    const dup = (await flagsOf(same.id)).filter((f) => f.kind === 'near_duplicate')
    expect(dup).toHaveLength(1)
    expect(dup[0]!.relatedReportId).toBe(first.id)
    expect(dup[0]!.match).toBe(first.reference)
    for (const r of [farAway, otherCategory, unrelated]) {
      expect((await flagsOf(r.id)).filter((f) => f.kind === 'near_duplicate' && f.relatedReportId === first.id), r.description).toEqual([])
    }
  })

  it('does not call a report from weeks ago a duplicate', async () => {
    const zone = await aZone(t.db, { around: flagey })
    await aReport(t.db, { zoneId: zone.id, category: 'vandalism', description: 'Graffiti op de gevel van de bibliotheek.', createdAt: hoursAgo(24 * 20), flaggedAt: new Date() })
    const now = await aReport(t.db, { zoneId: zone.id, category: 'vandalism', description: 'Graffiti op de gevel van de bibliotheek.' })
    const flags = await t.db.transaction((tx) => flagReport(tx, now.id))
    expect(flags.filter((f) => f.kind === 'near_duplicate')).toEqual([])
  })

  it('flags the same text filed many times anywhere as repeated', async () => {
    const text = 'WIN 1000 EURO NU!!! stuur je gegevens'
    const zoneA = await aZone(t.db, { around: { lat: 51.05, lon: 3.72 } })
    await aReport(t.db, { description: text, zoneId: zoneA.id, flaggedAt: new Date() })
    const second = await aReport(t.db, { description: `${text} `, category: 'other', flaggedAt: new Date() })
    const third = await aReport(t.db, { description: text.toLowerCase(), category: 'theft' })
    const flags = await t.db.transaction((tx) => flagReport(tx, third.id))
    expect(flags.find((f) => f.kind === 'repeated_text')?.reason).toMatch(/2 times/)
    const early = await t.db.transaction((tx) => flagReport(tx, second.id))
    expect(early.find((f) => f.kind === 'repeated_text')).toBeUndefined()
  })

  it('leaves no report unflagged after the app has seen its event', async () => {
    const report = await aReport(t.db, { description: 'Zie www.goedkope-sigaretten.xyz voor meer.' })
    // The queue drains before it answers; here the drain is called directly as the app would on NOTIFY.
    await flagPending(t.db)
    const [row] = await t.db.select({ flaggedAt: reports.flaggedAt }).from(reports).where(eq(reports.id, report.id))
    expect(row!.flaggedAt).not.toBeNull()
    expect((await flagsOf(report.id)).map((f) => f.kind)).toEqual(['link'])
  })
})
