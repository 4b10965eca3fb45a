import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '@nabij/shared/locales/en.json' with { type: 'json' }
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import tr from '@nabij/shared/locales/tr.json' with { type: 'json' }
import { auditLog, events, reportUpdates } from '../../../server/src/db/schema.js'
import { survivorOf, publicUpdates } from '../../../server/src/modules/public/service.js'
import { followUpView } from '../../../server/src/modules/reports/followup.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'
import { aReport, anUpdate, reload } from './helpers.js'

let t: TestApp
let moderator: StaffLogin
let moderatorId: number
beforeAll(async () => {
  t = await startApp()
  const staff = await aStaff(t.db, { role: 'moderator' })
  moderatorId = staff.id
  moderator = await loginAs(t.app, staff)
})
afterAll(() => t.close())

const decide = (reference: string, payload: Record<string, unknown>, headers: Record<string, string> = moderator.headers, lang = 'en') =>
  t.app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${reference}/decision?lang=${lang}`, headers, payload })
const merge = (reference: string, into: string, reason = 'same scooter, same evening') =>
  t.app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${reference}/merge`, headers: moderator.headers, payload: { into, reason } })
const publicGet = (reference: string) => t.app.inject(`/api/public/reports/${reference}`)
const publicList = async () => (await t.app.inject('/api/public/reports?pageSize=100')).json().items.map((r: { reference: string }) => r.reference) as string[]

const eventsOf = (reportId: number, type: string) => t.db.select().from(events).where(and(eq(events.reportId, reportId), eq(events.type, type)))
const auditOf = (reportId: number, action: string) => t.db.select().from(auditLog).where(and(eq(auditLog.reportId, reportId), eq(auditLog.action, action)))

const original = 'Mijn buurman Jan Peeters (0470 12 34 56) verkoopt drugs vanuit zijn garage in de Kerkstraat 14.'

describe('report decisions', () => {
  it('publishes a moderator-written summary; the original stays private to staff', async () => {
    const report = await aReport(t.db, { description: original, category: 'drugs' })
    const summary = 'Melding van drugsverkoop vanuit een garage in de buurt.'

    const res = await decide(report.reference, { decision: 'publish_summary', summary, reason: 'names and phone number in the text' })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ reference: report.reference, moderationState: 'published_summary', publicSummary: summary })
    const pub = await publicGet(report.reference)
    expect(pub.statusCode).toBe(200)
    expect(pub.json()).toMatchObject({ reference: report.reference, text: summary, textKind: 'summary', language: null, category: 'drugs' })
    expect(pub.body).not.toContain('Peeters')
    expect(pub.body).not.toContain('0470')
    expect(await publicList()).toContain(report.reference)

    const [event] = await eventsOf(report.id, 'report.moderated')
    expect(event!.payload).toEqual({ moderationState: 'published_summary', previous: 'pending' })
    const [entry] = await auditOf(report.id, 'report.moderated')
    expect(entry).toMatchObject({ staffId: moderatorId, detail: { decision: 'publish_summary', from: 'pending', to: 'published_summary', reason: 'names and phone number in the text' } })
  })

  it('publishes the original as written', async () => {
    const report = await aReport(t.db, { description: 'Kapotte straatlamp aan de bushalte, al twee weken donker.', category: 'public_space_defect' })
    expect((await decide(report.reference, { decision: 'publish_original', reason: 'nothing personal' })).statusCode).toBe(200)
    expect((await publicGet(report.reference)).json()).toMatchObject({ text: report.description, textKind: 'original', language: 'nl' })
  })

  it.each([
    ['keep_private', 'private'],
    ['reject_spam', 'rejected_spam'],
    ['reject_abuse', 'rejected_abuse'],
  ] as const)('%s keeps the report off the public side and tells its reporter in their language', async (decision, state) => {
    const report = await aReport(t.db, { description: 'Die kutmarokkanen weer op het plein, koop pillen op www.pillen.xyz' })
    const res = await decide(report.reference, { decision, reason: 'moderator judgement' })

    expect(res.statusCode).toBe(200)
    expect(res.json().moderationState).toBe(state)
    expect((await publicGet(report.reference)).statusCode).toBe(404)
    expect(await publicList()).not.toContain(report.reference)
    // Nothing is deleted: officers still read the original.
    expect((await reload(t.db, report.id)).description).toBe(report.description)
    // The reporter's follow-up shows a neutral status, translated.
    const view = await followUpView(t.db, report.id, 'fr')
    expect(view.timeline.map((item) => item.text)).toContain(fr.moderation.reporter[state])
    const viewTr = await followUpView(t.db, report.id, 'tr')
    expect(viewTr.timeline.map((item) => item.text)).toContain(tr.moderation.reporter[state])
    expect(await auditOf(report.id, 'report.moderated')).toHaveLength(1)
  })

  it('withdraws a published report when a moderator later keeps it private', async () => {
    const report = await aReport(t.db)
    await decide(report.reference, { decision: 'publish_summary', summary: 'Lawaai van brommers.', reason: 'ok' })
    expect((await publicGet(report.reference)).statusCode).toBe(200)
    await decide(report.reference, { decision: 'keep_private', reason: 'the reporter asked us to' })
    expect((await publicGet(report.reference)).statusCode).toBe(404)
    expect((await reload(t.db, report.id)).publicSummary).toBeNull()
    expect(await eventsOf(report.id, 'report.moderated')).toHaveLength(2)
  })

  it('refuses a summary decision without a summary, with a stable code in the asked language', async () => {
    const report = await aReport(t.db)
    const res = await decide(report.reference, { decision: 'publish_summary', summary: '   ', reason: 'x' }, moderator.headers, 'fr')
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ code: 'SUMMARY_REQUIRED', message: fr.errors.SUMMARY_REQUIRED })
    expect((await reload(t.db, report.id)).moderationState).toBe('pending')
  })

  it('refuses a decision without a reason', async () => {
    const report = await aReport(t.db)
    const res = await decide(report.reference, { decision: 'publish_original' })
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('VALIDATION_FAILED')
  })

  it('answers an unknown reference with REPORT_NOT_FOUND', async () => {
    const res = await decide('NB-0000-999999', { decision: 'keep_private', reason: 'x' })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({ code: 'REPORT_NOT_FOUND', message: en.errors.REPORT_NOT_FOUND })
  })
})

describe('who may moderate', () => {
  it('answers 401 without a session, 403 to an officer, and 403 CSRF_INVALID without the token', async () => {
    const zone = await aZone(t.db)
    const report = await aReport(t.db, { zoneId: zone.id })
    const officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId: zone.id }))

    expect((await t.app.inject('/api/staff/moderation/queue')).statusCode).toBe(401)
    expect((await t.app.inject({ url: '/api/staff/moderation/queue', headers: { cookie: officer.cookie } })).json().code).toBe('FORBIDDEN')
    expect((await decide(report.reference, { decision: 'publish_original', reason: 'x' }, officer.headers)).statusCode).toBe(403)
    const noCsrf = await decide(report.reference, { decision: 'publish_original', reason: 'x' }, { cookie: moderator.cookie })
    expect(noCsrf.statusCode).toBe(403)
    expect(noCsrf.json().code).toBe('CSRF_INVALID')
    expect((await reload(t.db, report.id)).moderationState).toBe('pending')
  })

  it("never shows a moderator a named reporter's contact data", async () => {
    const zone = await aZone(t.db)
    const report = await aReport(t.db, {
      zoneId: zone.id, anonymous: false, reporterName: 'Fatima El Amrani', reporterEmail: 'fatima.elamrani@example.be', reporterPhone: '+32470998877', contactConsent: true,
    })
    const contact = await t.app.inject({ url: `/api/staff/reports/${report.reference}/contact`, headers: { cookie: moderator.cookie } })
    expect(contact.statusCode).toBe(403)
    expect(contact.json().code).toBe('FORBIDDEN')

    const detail = await t.app.inject({ url: `/api/staff/moderation/reports/${report.reference}`, headers: { cookie: moderator.cookie } })
    const queue = await t.app.inject({ url: '/api/staff/moderation/queue?pageSize=100', headers: { cookie: moderator.cookie } })
    expect(detail.statusCode).toBe(200)
    expect(queue.body).toContain(report.reference)
    for (const body of [detail.body, queue.body]) {
      expect(body).not.toContain('Fatima')
      expect(body).not.toContain('fatima.elamrani')
      expect(body).not.toContain('998877')
    }
  })
})

describe('merging duplicates', () => {
  it('merges a duplicate: it leaves the public side and its reporter follows the survivor', async () => {
    const survivor = await aReport(t.db, { description: 'Scooters racen elke avond over het pleintje.' })
    const duplicate = await aReport(t.db, { description: 'Elke avond racende scooters op het plein!' })
    const older = await aReport(t.db, { description: 'Scooters, pleintje, elke avond.' })
    await decide(survivor.reference, { decision: 'publish_original', reason: 'clear' })
    await decide(duplicate.reference, { decision: 'publish_original', reason: 'clear' })
    await anUpdate(t.db, survivor.id, { text: 'We controleren het plein deze week elke avond.' })
    expect((await merge(older.reference, duplicate.reference)).statusCode).toBe(200)

    const res = await merge(duplicate.reference, survivor.reference)

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ moderationState: 'merged', duplicateOf: survivor.reference })
    expect((await publicGet(duplicate.reference)).statusCode).toBe(404)
    expect((await publicGet(survivor.reference)).statusCode).toBe(200)
    // Both reporters now follow the survivor, and so does the one merged into the duplicate before.
    expect(await survivorOf(t.db, duplicate.id)).toEqual({ id: survivor.id, reference: survivor.reference })
    expect((await reload(t.db, older.id)).duplicateOfId).toBe(survivor.id)
    expect(await survivorOf(t.db, survivor.id)).toBeNull()
    expect((await publicUpdates(t.db, survivor.id, 'nl')).map((u) => u.text)).toEqual(['We controleren het plein deze week elke avond.'])
    // The duplicate's reporter reads the survivor's public timeline in their own follow-up.
    const view = await followUpView(t.db, duplicate.id, 'en')
    expect(view.timeline.map((i) => i.text)).toEqual(expect.arrayContaining([en.moderation.reporter.merged, 'We controleren het plein deze week elke avond.']))
    expect((await followUpView(t.db, survivor.id, 'en')).timeline.map((i) => i.text)).not.toContain(en.moderation.reporter.merged)

    const [event] = await eventsOf(duplicate.id, 'report.merged')
    expect(event!.payload).toMatchObject({ into: survivor.reference })
    const [entry] = await auditOf(duplicate.id, 'report.merged')
    expect(entry!.detail).toMatchObject({ into: survivor.reference, reason: 'same scooter, same evening' })
  })

  it('refuses to merge a report into itself, into a merged report, or to decide on a merged one', async () => {
    const a = await aReport(t.db)
    const b = await aReport(t.db)
    const c = await aReport(t.db)
    expect((await merge(a.reference, a.reference)).json().code).toBe('MERGE_INVALID')
    expect((await merge(a.reference, b.reference)).statusCode).toBe(200)
    const intoMerged = await merge(c.reference, a.reference)
    expect(intoMerged.statusCode).toBe(409)
    expect(intoMerged.json().code).toBe('MERGE_INVALID')
    const again = await decide(a.reference, { decision: 'publish_original', reason: 'x' })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toEqual({ code: 'REPORT_MERGED', message: en.errors.REPORT_MERGED })
    expect((await merge(c.reference, 'NB-0000-404404')).json().code).toBe('REPORT_NOT_FOUND')
  })
})

describe('resident replies', () => {
  it('keeps a reply with the officers or rejects it, never making it public', async () => {
    const report = await aReport(t.db)
    await decide(report.reference, { decision: 'publish_original', reason: 'clear' })
    const reply = await anUpdate(t.db, report.id, { author: 'reporter', visibility: 'reporter', text: 'Hij heet Karim en woont op nummer 12.', moderationState: 'pending' })
    const spam = await anUpdate(t.db, report.id, { author: 'reporter', visibility: 'reporter', text: 'koop koop koop koop koop www.x.xyz', moderationState: 'pending' })

    const queue = await t.app.inject({ url: '/api/staff/moderation/queue?type=reply&pageSize=100', headers: { cookie: moderator.cookie } })
    expect(queue.json().items.map((i: { id: number }) => i.id)).toEqual(expect.arrayContaining([reply.id, spam.id]))

    const accepted = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/replies/${reply.id}/decision`, headers: moderator.headers, payload: { decision: 'accept', reason: 'useful' } })
    expect(accepted.statusCode).toBe(200)
    expect(accepted.json()).toMatchObject({ type: 'reply', moderationState: 'private' })
    const rejected = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/replies/${spam.id}/decision`, headers: moderator.headers, payload: { decision: 'reject_spam', reason: 'advert' } })
    expect(rejected.json().moderationState).toBe('rejected_spam')

    const pub = (await publicGet(report.reference)).json()
    expect(pub.updates).toEqual([])
    expect(JSON.stringify(pub)).not.toContain('Karim')
    const after = await t.app.inject({ url: '/api/staff/moderation/queue?type=reply&pageSize=100', headers: { cookie: moderator.cookie } })
    expect(after.json().items.map((i: { id: number }) => i.id)).not.toContain(reply.id)
    expect((await t.db.select().from(auditLog).where(eq(auditLog.action, 'reply.moderated'))).length).toBeGreaterThanOrEqual(2)
  })

  it("answers UPDATE_NOT_FOUND for an officer's update", async () => {
    const report = await aReport(t.db)
    const note = await anUpdate(t.db, report.id)
    const res = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/replies/${note.id}/decision`, headers: moderator.headers, payload: { decision: 'accept', reason: 'x' } })
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('UPDATE_NOT_FOUND')
    const [row] = await t.db.select().from(reportUpdates).where(eq(reportUpdates.id, note.id))
    expect(row!.moderationState).toBe('pending')
  })
})

describe('the review queue', () => {
  it('lists pending reports with their flags, most flagged first, and newest first on request', async () => {
    const fresh = await startApp()
    try {
      const staff = await loginAs(fresh.app, await aStaff(fresh.db, { role: 'moderator' }))
      const quiet = await aReport(fresh.db, { description: 'Kapotte stoeptegel voor de bakker.' })
      const loud = await aReport(fresh.db, { description: 'Bel Jan op 0470 12 34 56 of mail jan@telenet.be, hij woont in de Kerkstraat 14.' })
      const newest = await aReport(fresh.db, { description: 'Graffiti op de brug.' })
      const decided = await aReport(fresh.db, { description: 'Al beslist.', moderationState: 'private' })

      const res = await fresh.app.inject({ url: '/api/staff/moderation/queue', headers: { cookie: staff.cookie } })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body.items.map((i: { reference: string }) => i.reference)).toEqual([loud.reference, newest.reference, quiet.reference])
      expect(body.total).toBe(3)
      const flags = body.items[0].flags as { kind: string; group: string; start: number; end: number; match: string }[]
      expect(flags.map((f) => f.kind)).toEqual(['phone', 'email', 'address'])
      for (const f of flags) {
        expect(f.group).toBe('personal_data')
        expect(loud.description.slice(f.start, f.end)).toBe(f.match)
      }
      expect(body.items.map((i: { reference: string }) => i.reference)).not.toContain(decided.reference)

      const byDate = await fresh.app.inject({ url: '/api/staff/moderation/queue?sort=newest&pageSize=2&page=1', headers: { cookie: staff.cookie } })
      expect(byDate.json().items.map((i: { reference: string }) => i.reference)).toEqual([newest.reference, loud.reference])
    } finally {
      await fresh.close()
    }
  })
})
