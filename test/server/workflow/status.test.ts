import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../../../shared/src/locales/en.json' with { type: 'json' }
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { auditLog, reports } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs } from '../helpers/factories.js'
import { aBeat, aSpot, bearer, eventsOf, fileReport, reportRow, type Beat } from './fixtures.js'

let t: TestApp
let beat: Beat
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
})
afterAll(() => t.close())

const statusOf = (reference: string, payload: unknown, headers = beat.login.headers) =>
  t.app.inject({ method: 'POST', url: `/api/staff/reports/${reference}/status?lang=en`, headers, payload: payload as object })

describe('POST /api/staff/reports/:ref/status', () => {
  it('moves a new report on, stamps the acknowledgement and records a status entry and an event', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    const res = await statusOf(filed.reference, { status: 'in_progress' })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ reference: filed.reference, status: 'in_progress', closeReason: null, overdue: 'on_time' })
    const row = await reportRow(t.db, filed.reference)
    expect(row.status).toBe('in_progress')
    expect(row.acknowledgedAt).not.toBeNull()
    const changes = (await eventsOf(t.db, row.id)).filter((e) => e.type === 'report.status_changed')
    expect(changes).toHaveLength(1)
    expect(changes[0]!.payload).toMatchObject({ from: 'new', to: 'in_progress', by: 'staff', staffId: beat.officer.id })
    const audits = await t.db.select().from(auditLog).where(eq(auditLog.reportId, row.id))
    expect(audits.map((a) => a.action)).toContain('report.status_changed')
  })

  it('refuses a transition outside the map with a stable code and changes nothing', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    const res = await statusOf(filed.reference, { status: 'waiting_for_reporter' })

    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('TRANSITION_NOT_ALLOWED')
    expect((await reportRow(t.db, filed.reference)).status).toBe('new')
    expect((await eventsOf(t.db, filed.report.id)).map((e) => e.type)).toEqual(['report.filed'])
  })

  it('refuses to close without a reason or without a public answer, saving nothing', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)

    const noReason = await statusOf(filed.reference, { status: 'closed', answer: { cannedKey: 'thanks' } })
    const noAnswer = await statusOf(filed.reference, { status: 'closed', closeReason: 'resolved' })

    expect(noReason.statusCode).toBe(400)
    expect(noReason.json()).toEqual({ code: 'CLOSE_REASON_REQUIRED', message: en.errors.CLOSE_REASON_REQUIRED })
    expect(noAnswer.statusCode).toBe(400)
    expect(noAnswer.json()).toEqual({ code: 'CLOSE_ANSWER_REQUIRED', message: en.errors.CLOSE_ANSWER_REQUIRED })
    const row = await reportRow(t.db, filed.reference)
    expect(row.status).toBe('new')
    expect(row.firstPublicAnswerAt).toBeNull()
  })

  it('shows "no action possible" to the reporter as such, never as solved, with the answer before it', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at, { language: 'fr' })

    const res = await statusOf(filed.reference, {
      status: 'closed',
      closeReason: 'no_action_possible',
      answer: { text: 'Het gaat om een privéterrein; wij kunnen daar niet optreden.', language: 'nl', translations: { fr: 'Il s’agit d’un terrain privé ; nous ne pouvons pas y intervenir.' } },
    })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'closed', closeReason: 'no_action_possible' })
    const follow = await t.app.inject({ method: 'GET', url: '/api/followup?lang=fr', headers: bearer(filed.token) })
    const view = follow.json()
    expect(view).toMatchObject({ status: 'closed', closeReason: 'no_action_possible' })
    const texts = view.timeline.map((item: { text: string }) => item.text)
    expect(texts).toContain('Il s’agit d’un terrain privé ; nous ne pouvons pas y intervenir.')
    expect(texts).toContain(fr.close_reason.no_action_possible)
    expect(texts).not.toContain(fr.close_reason.resolved)
    expect(texts.indexOf(fr.close_reason.no_action_possible)).toBeGreaterThan(texts.indexOf('Il s’agit d’un terrain privé ; nous ne pouvons pas y intervenir.'))
    const row = await reportRow(t.db, filed.reference)
    expect(row.closedAt).not.toBeNull()
    expect(row.firstPublicAnswerAt).not.toBeNull()
  })

  it('hides reports of other zones from an officer and asks for the CSRF token on writes', async () => {
    const other = await aBeat(t.app, t.db)
    const filed = await fileReport(t.app, t.db, t.config, other.at)

    const foreign = await statusOf(filed.reference, { status: 'in_progress' })
    const noCsrf = await statusOf(filed.reference, { status: 'in_progress' }, { cookie: other.login.cookie } as typeof beat.login.headers)

    expect(foreign.statusCode).toBe(404)
    expect(foreign.json().code).toBe('REPORT_NOT_FOUND')
    expect(noCsrf.statusCode).toBe(403)
    expect(noCsrf.json().code).toBe('CSRF_INVALID')
    expect((await reportRow(t.db, filed.reference)).status).toBe('new')
  })

  it('lets a moderator see but not work a report', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const moderator = await aStaff(t.db, { role: 'moderator' })
    const login = await loginAs(t.app, moderator)

    const res = await statusOf(filed.reference, { status: 'in_progress' }, login.headers)

    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('FORBIDDEN')
  })
})

describe('promised response time', () => {
  it('counts a report overdue past its promise and badly overdue at three times it, until it is answered', async () => {
    const slow = await aBeat(t.app, t.db, { promisedResponseHours: 10 })
    const filed = await fileReport(t.app, t.db, t.config, slow.at)
    const state = async () => (await t.app.inject({ method: 'GET', url: `/api/staff/reports/${filed.reference}/workflow`, headers: slow.login.headers })).json()
    expect(filed.report.promisedResponseHours).toBe(10)

    await t.db.update(reports).set({ createdAt: sql`now() - interval '11 hours'` }).where(eq(reports.id, filed.report.id))
    expect((await state()).overdue).toBe('overdue')
    await t.db.update(reports).set({ createdAt: sql`now() - interval '31 hours'` }).where(eq(reports.id, filed.report.id))
    expect((await state()).overdue).toBe('badly_overdue')

    await t.app.inject({ method: 'POST', url: `/api/staff/reports/${filed.reference}/updates`, headers: slow.login.headers, payload: { cannedKey: 'investigating', visibility: 'reporter' } })
    const answered = await state()
    expect(answered.firstPublicAnswerAt).not.toBeNull()
    // Answered after 31 hours: the lateness stays on the record.
    expect(answered.overdue).toBe('badly_overdue')
  })
})

describe('assignment and due date', () => {
  it('reassigns within the zone team and refuses an officer of another zone', async () => {
    const team = await aBeat(t.app, t.db)
    const colleague = await aStaff(t.db, { role: 'officer', zoneId: team.zoneId, primary: false, displayName: 'Colleague' })
    const stranger = await aStaff(t.db, { role: 'officer', zoneId: (await aZone(t.db, { around: aSpot() })).id })
    const filed = await fileReport(t.app, t.db, t.config, team.at)
    const url = `/api/staff/reports/${filed.reference}`

    const members = await t.app.inject({ method: 'GET', url: `${url}/team`, headers: team.login.headers })
    const moved = await t.app.inject({ method: 'POST', url: `${url}/assign`, headers: team.login.headers, payload: { staffId: colleague.id } })
    const refused = await t.app.inject({ method: 'POST', url: `${url}/assign?lang=fr`, headers: team.login.headers, payload: { staffId: stranger.id } })

    expect(members.json().items.map((m: { id: number }) => m.id).sort()).toEqual([team.officer.id, colleague.id].sort())
    expect(moved.statusCode).toBe(200)
    expect(moved.json().assignedStaffId).toBe(colleague.id)
    expect(refused.statusCode).toBe(422)
    expect(refused.json()).toEqual({ code: 'ASSIGNEE_NOT_IN_TEAM', message: fr.errors.ASSIGNEE_NOT_IN_TEAM })
    expect((await reportRow(t.db, filed.reference)).assignedStaffId).toBe(colleague.id)
    const reassigned = (await eventsOf(t.db, filed.report.id)).filter((e) => e.type === 'report.reassigned')
    expect(reassigned.map((e) => e.payload)).toEqual([{ fromStaffId: filed.report.assignedStaffId, toStaffId: colleague.id, by: team.officer.id }])
  })

  it('sets and clears a due date', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const url = `/api/staff/reports/${filed.reference}/due`
    const dueAt = '2030-05-01T08:00:00.000Z'

    const set = await t.app.inject({ method: 'POST', url, headers: beat.login.headers, payload: { dueAt } })
    expect(set.json().dueAt).toBe(dueAt)
    expect((await reportRow(t.db, filed.reference)).dueAt?.toISOString()).toBe(dueAt)

    const cleared = await t.app.inject({ method: 'POST', url, headers: beat.login.headers, payload: { dueAt: null } })
    expect(cleared.json().dueAt).toBeNull()
    expect((await eventsOf(t.db, filed.report.id)).filter((e) => e.type === 'report.due_changed')).toHaveLength(2)
  })
})

describe('POST /api/followup/reopen', () => {
  async function closed() {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    await statusOf(filed.reference, { status: 'closed', closeReason: 'resolved', answer: { cannedKey: 'patrols_increased' } })
    return filed
  }
  const reopen = (token: string, payload: object) => t.app.inject({ method: 'POST', url: '/api/followup/reopen?lang=en', headers: bearer(token), payload })

  it('reopens a closed report within 14 days with the reporter’s reason', async () => {
    const filed = await closed()

    const res = await reopen(filed.token, { reason: 'The music started again last night.', language: 'en' })

    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ reference: filed.reference, status: 'in_progress' })
    const row = await reportRow(t.db, filed.reference)
    expect(row).toMatchObject({ status: 'in_progress', closeReason: null, closedAt: null })
    const staffView = (await t.app.inject({ method: 'GET', url: `/api/staff/reports/${filed.reference}/updates`, headers: beat.login.headers })).json()
    expect(staffView.items.at(-2)).toMatchObject({ author: 'reporter', text: 'The music started again last night.', visibility: 'reporter', moderationState: 'pending' })
    expect(staffView.items.at(-1)).toMatchObject({ kind: 'status', cannedKey: 'status.in_progress' })
    const last = (await eventsOf(t.db, filed.report.id)).at(-1)!
    expect(last.payload).toMatchObject({ from: 'closed', to: 'in_progress', by: 'reporter' })
  })

  it('refuses after 14 days, on a report that is not closed, and without a valid token', async () => {
    const late = await closed()
    await t.db.update(reports).set({ closedAt: sql`now() - interval '15 days'` }).where(eq(reports.id, late.report.id))
    const open = await fileReport(t.app, t.db, t.config, beat.at)

    const tooLate = await reopen(late.token, { reason: 'Still happening' })
    const notClosed = await reopen(open.token, { reason: 'Still happening' })
    const forged = await reopen(`${late.token.slice(0, -2)}xx`, { reason: 'Still happening' })
    const empty = await reopen(late.token, { reason: '' })

    expect(tooLate.statusCode).toBe(409)
    expect(tooLate.json()).toEqual({ code: 'REOPEN_WINDOW_PASSED', message: en.errors.REOPEN_WINDOW_PASSED })
    expect(notClosed.statusCode).toBe(409)
    expect(notClosed.json().code).toBe('TRANSITION_NOT_ALLOWED')
    expect(forged.statusCode).toBe(401)
    expect(empty.statusCode).toBe(400)
    expect((await reportRow(t.db, late.reference)).status).toBe('closed')
  })
})
