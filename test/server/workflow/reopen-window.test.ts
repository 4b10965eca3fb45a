import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reports } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aBeat, bearer, fileReport, reportRow, type Beat } from './fixtures.js'

let t: TestApp
let beat: Beat
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
})
afterAll(() => t.close())

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString()
async function followUp(token: string) {
  const res = await t.app.inject({ method: 'GET', url: '/api/followup?lang=en', headers: bearer(token) })
  expect(res.statusCode).toBe(200)
  return res.json()
}
async function closed() {
  const filed = await fileReport(t.app, t.db, t.config, beat.at)
  const res = await t.app.inject({
    method: 'POST', url: `/api/staff/reports/${filed.reference}/status`, headers: beat.login.headers,
    payload: { status: 'closed', closeReason: 'resolved', answer: { cannedKey: 'patrols_increased' } },
  })
  expect(res.statusCode).toBe(200)
  return filed
}

describe('the follow-up tells until when a closed report may be reopened', () => {
  it('gives no date while the report is open', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    expect((await followUp(filed.token)).reopenUntil).toBeNull()
  })

  it('gives 14 days after closing, rounded down to the hour, and none once they have passed', async () => {
    const recent = await closed()
    const closedAt = (await reportRow(t.db, recent.reference)).closedAt!
    expect((await followUp(recent.token)).reopenUntil).toBe(hourOf(new Date(closedAt.getTime() + 14 * 86_400_000)))

    const late = await closed()
    await t.db.update(reports).set({ closedAt: sql`now() - interval '15 days'` }).where(eq(reports.id, late.report.id))
    expect((await followUp(late.token)).reopenUntil).toBeNull()
  })

  it('gives none once the reporter reopened it, and shows their reason in the timeline', async () => {
    const filed = await closed()
    const res = await t.app.inject({ method: 'POST', url: '/api/followup/reopen', headers: bearer(filed.token), payload: { reason: 'The music started again.', language: 'en' } })
    expect(res.statusCode).toBe(200)

    const view = await followUp(filed.token)
    expect(view).toMatchObject({ status: 'in_progress', reopenUntil: null })
    expect(view.timeline.slice(-2)).toMatchObject([
      { author: 'reporter', kind: 'message', text: 'The music started again.' },
      { kind: 'status', cannedKey: 'status.in_progress' },
    ])
  })
})
