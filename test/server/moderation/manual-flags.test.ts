import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { auditLog, events, moderationFlags } from '../../../server/src/db/schema.js'
import { flagReport } from '../../../server/src/modules/moderation/flag-service.js'
import { passageSpan } from '../../../server/src/modules/moderation/service.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs, type StaffLogin } from '../helpers/factories.js'
import { aReport, anUpdate } from './helpers.js'

let t: TestApp
let moderator: StaffLogin
let moderatorId: number
let officer: StaffLogin
beforeAll(async () => {
  t = await startApp()
  const staff = await aStaff(t.db, { role: 'moderator', displayName: 'Nadia Moderator' })
  moderatorId = staff.id
  moderator = await loginAs(t.app, staff)
  officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer' }))
})
afterAll(() => t.close())

const flag = (reference: string, payload: Record<string, unknown>, headers: Record<string, string> = moderator.headers, lang = 'en') =>
  t.app.inject({ method: 'POST', url: `/api/staff/moderation/reports/${reference}/flags?lang=${lang}`, headers, payload })
const flagsOf = (reportId: number) => t.db.select().from(moderationFlags).where(eq(moderationFlags.reportId, reportId))
/** The reports here share their text, so automatic flags (same text filed repeatedly) come beside the hand-set ones. */
const manualFlagsOf = async (reportId: number) => (await flagsOf(reportId)).filter((f) => f.flaggedBy !== null)

const text = 'Mijn buurman Karel Janssens dreigt elke avond dat hij de hond van Karel zal vergiftigen.'

describe('a moderator flagging by hand', () => {
  it('flags a name the patterns missed: highlighted where it stands, signed, audited and announced', async () => {
    const report = await aReport(t.db, { description: text })

    const res = await flag(report.reference, { kind: 'person_name', passage: 'Karel Janssens', note: 'full name of the neighbour' })

    expect(res.statusCode).toBe(201)
    const added = res.json().flags.find((f: { kind: string }) => f.kind === 'person_name')
    expect(added).toMatchObject({
      group: 'personal_data', start: text.indexOf('Karel Janssens'), end: text.indexOf('Karel Janssens') + 14,
      match: 'Karel Janssens', reason: 'full name of the neighbour', flaggedBy: 'Nadia Moderator', relatedReference: null,
    })
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.reportId, report.id), eq(auditLog.action, 'moderation.flag_added')))
    expect(entry).toMatchObject({ staffId: moderatorId, detail: { flagId: added.id, kind: 'person_name', note: 'full name of the neighbour' } })
    const announced = await t.db.select().from(events).where(and(eq(events.reportId, report.id), eq(events.type, 'report.moderated')))
    expect(announced.map((e) => e.payload)).toEqual([{ flagAdded: added.id }])
  })

  it('takes the occurrence the moderator selected when the words stand twice', async () => {
    const report = await aReport(t.db, { description: text })
    const second = text.lastIndexOf('Karel')
    const res = await flag(report.reference, { kind: 'person_name', passage: 'Karel', start: second })
    expect(res.statusCode).toBe(201)
    expect((await manualFlagsOf(report.id)).map((f) => [f.start, f.end])).toEqual([[second, second + 5]])
  })

  it('refuses a passage that is not in the text, in the moderator’s language, and stores nothing', async () => {
    const report = await aReport(t.db, { description: text })
    for (const payload of [{ passage: 'Jan Peeters' }, { passage: 'Karel', start: 3 }, { passage: '   ' }]) {
      const res = await flag(report.reference, { kind: 'threat', ...payload }, moderator.headers, 'fr')
      expect(res.statusCode).toBe(422)
      expect(res.json()).toEqual({ code: 'PASSAGE_NOT_FOUND', message: fr.errors.PASSAGE_NOT_FOUND })
    }
    const wrongKind = await flag(report.reference, { kind: 'near_duplicate', passage: 'Karel' })
    expect(wrongKind.statusCode).toBe(400)
    expect(wrongKind.json().code).toBe('VALIDATION_FAILED')
    expect(await manualFlagsOf(report.id)).toEqual([])
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.reportId, report.id), eq(auditLog.action, 'moderation.flag_added')))).toEqual([])
  })

  it('is for moderators only', async () => {
    const report = await aReport(t.db, { description: text })
    const res = await flag(report.reference, { kind: 'threat', passage: 'dreigt' }, officer.headers)
    expect(res.statusCode).toBe(403)
    expect((await flag('NB-2026-999999', { kind: 'threat', passage: 'dreigt' })).statusCode).toBe(404)
    expect(await manualFlagsOf(report.id)).toEqual([])
  })

  it('flags a passage of a resident reply', async () => {
    const report = await aReport(t.db)
    const reply = await anUpdate(t.db, report.id, { author: 'reporter', visibility: 'reporter', text: 'Hij zei: ik steek je huis in brand.', moderationState: 'pending' })
    const res = await t.app.inject({ method: 'POST', url: `/api/staff/moderation/replies/${reply.id}/flags`, headers: moderator.headers, payload: { kind: 'threat', passage: 'ik steek je huis in brand' } })
    expect(res.statusCode).toBe(201)
    expect(res.json().flags).toEqual([expect.objectContaining({ kind: 'threat', group: 'abuse', start: 9, flaggedBy: 'Nadia Moderator' })])
    const [row] = await flagsOf(report.id)
    expect(row).toMatchObject({ updateId: reply.id, flaggedBy: moderatorId })
  })

  it('keeps a hand-set flag when the automatic flags are computed, and removes only hand-set flags', async () => {
    const report = await aReport(t.db, { description: 'Bel me op 0470 12 34 56, Karel Janssens weet ervan.', flaggedAt: null })
    const added = (await flag(report.reference, { kind: 'person_name', passage: 'Karel Janssens' })).json().flags.find((f: { kind: string }) => f.kind === 'person_name')
    await t.db.transaction((tx) => flagReport(tx, report.id))
    const kinds = (await flagsOf(report.id)).map((f) => f.kind).sort()
    expect(kinds).toEqual(['person_name', 'phone'])
    const automatic = (await flagsOf(report.id)).find((f) => f.kind === 'phone')!

    const refused = await t.app.inject({ method: 'DELETE', url: `/api/staff/moderation/flags/${automatic.id}`, headers: moderator.headers })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().code).toBe('FLAG_NOT_REMOVABLE')
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/staff/moderation/flags/${added.id}`, headers: moderator.headers })
    expect(removed.statusCode).toBe(204)
    expect((await flagsOf(report.id)).map((f) => f.kind)).toEqual(['phone'])
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.reportId, report.id), eq(auditLog.action, 'moderation.flag_removed')))
    expect(entry).toMatchObject({ staffId: moderatorId, detail: { flagId: added.id, kind: 'person_name', match: 'Karel Janssens', flaggedBy: moderatorId } })
    expect((await t.app.inject({ method: 'DELETE', url: `/api/staff/moderation/flags/${added.id}`, headers: moderator.headers })).statusCode).toBe(404)
  })
})

describe('passageSpan', () => {
  it('counts in UTF-16 units, as the browser and the automatic flags do', () => {
    const arabic = 'رأيت 👀 شخصا اسمه أحمد يكسر الزجاج'
    expect(passageSpan(arabic, 'أحمد')).toEqual({ start: arabic.indexOf('أحمد'), end: arabic.indexOf('أحمد') + 4 })
    expect(arabic.slice(passageSpan(arabic, 'أحمد').start, passageSpan(arabic, 'أحمد').end)).toBe('أحمد')
  })
})
