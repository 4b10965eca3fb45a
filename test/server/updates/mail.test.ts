import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { buildApp } from '../../../server/src/app.js'
import { outbox, reports } from '../../../server/src/db/schema.js'
import { verifyResidentToken } from '../../../server/src/modules/reports/resident-token.js'
import { backoffMs, deliverDue } from '../../../server/src/modules/updates/mailer.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { loginAs } from '../helpers/factories.js'
import { bodyOf, subjectOf, TestSmtp } from '../helpers/smtp.js'
import { aBeat, fileReport, namedContact, type Beat } from '../workflow/fixtures.js'

let t: TestApp
let beat: Beat
let smtp: TestSmtp
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
  smtp = new TestSmtp()
  await smtp.start()
})
afterAll(async () => {
  await smtp.stop()
  await t.close()
})

const post = (reference: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/staff/reports/${reference}/updates`, headers: beat.login.headers, payload })
const outboxOf = async (reportId: number) => (await t.db.select().from(outbox)).filter((row) => row.payload.reportId === reportId)

describe('emails to named reporters', () => {
  it('writes the email to the outbox with the update and sends it in the reporter’s language with a follow-up link', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at, { contact: namedContact, language: 'fr' })

    const res = await post(filed.reference, { cannedKey: 'patrols_increased', visibility: 'reporter' })
    expect(res.statusCode).toBe(201)
    const queued = await outboxOf(filed.report.id)
    expect(queued).toHaveLength(1)
    expect(queued[0]).toMatchObject({ kind: 'email.report_update', payload: { reportId: filed.report.id, updateId: res.json().id }, sentAt: null })
    // The outbox names rows, never the address.
    expect(JSON.stringify(queued[0]!.payload)).not.toContain('@')

    const arriving = smtp.next()
    const round = await deliverDue(t.db, t.config, smtp.transport)
    const mail = await arriving

    expect(round).toMatchObject({ sent: 1, retried: 0 })
    expect(mail.to).toEqual([namedContact.email])
    expect(mail.from).toBe('no-reply@nabij.test')
    const body = bodyOf(mail.raw)
    expect(body).toContain(fr.update.patrols_increased)
    expect(body).toContain(`${fr.status.new}`)
    const link = body.match(/http:\/\/localhost:3000\/follow\/#(\S+)/)
    expect(link).not.toBeNull()
    expect(verifyResidentToken(t.config, link![1]!)).toBe(filed.report.id)
    expect((await outboxOf(filed.report.id))[0]!.sentAt).not.toBeNull()
  })

  it('queues nothing for anonymous reporters, for reporters without consent, and for internal notes', async () => {
    const anonymous = await fileReport(t.app, t.db, t.config, beat.at)
    const noConsent = await fileReport(t.app, t.db, t.config, beat.at, { contact: { ...namedContact, consent: false } })
    const named = await fileReport(t.app, t.db, t.config, beat.at, { contact: namedContact })

    await post(anonymous.reference, { cannedKey: 'thanks', visibility: 'reporter' })
    await post(noConsent.reference, { cannedKey: 'thanks', visibility: 'reporter' })
    await post(named.reference, { text: 'Neighbour is a known complainant.', language: 'en', visibility: 'internal' })

    expect(await outboxOf(anonymous.report.id)).toHaveLength(0)
    expect(await outboxOf(noConsent.report.id)).toHaveLength(0)
    expect(await outboxOf(named.report.id)).toHaveLength(0)
  })

  it('keeps the email through a failing mail server and sends it once when the server is back', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at, { contact: namedContact, language: 'en' })
    await post(filed.reference, { text: 'We spoke to the shop owner.', language: 'en', visibility: 'public' })
    const before = smtp.received.length
    smtp.reject = true

    const now = new Date()
    const failed = await deliverDue(t.db, t.config, smtp.transport, now)

    expect(failed).toMatchObject({ sent: 0, retried: 1 })
    const [row] = await outboxOf(filed.report.id)
    expect(row).toMatchObject({ attempts: 1, sentAt: null, failedAt: null, lastError: '451' })
    expect(row!.availableAt.getTime()).toBe(now.getTime() + backoffMs(1))
    // Not due yet: nothing is tried before the backoff has passed.
    expect(await deliverDue(t.db, t.config, smtp.transport, new Date(now.getTime() + 1_000))).toMatchObject({ sent: 0, retried: 0 })

    smtp.reject = false
    const later = new Date(now.getTime() + backoffMs(1) + 1_000)
    const arriving = smtp.next()
    expect(await deliverDue(t.db, t.config, smtp.transport, later)).toMatchObject({ sent: 1 })
    expect(bodyOf((await arriving).raw)).toContain('We spoke to the shop owner.')
    expect(await deliverDue(t.db, t.config, smtp.transport, new Date(later.getTime() + 3_600_000))).toMatchObject({ sent: 0 })
    expect(smtp.received.length).toBe(before + 1)
    expect((await outboxOf(filed.report.id))[0]).toMatchObject({ attempts: 2, lastError: null })
  })

  it('does not mail a reporter whose contact was erased before delivery', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at, { contact: namedContact })
    await post(filed.reference, { cannedKey: 'investigating', visibility: 'reporter' })
    await t.db.update(reports).set({ reporterEmail: null, reporterName: null, contactErasedAt: new Date() }).where(eq(reports.id, filed.report.id))
    const before = smtp.received.length

    expect(await deliverDue(t.db, t.config, smtp.transport)).toMatchObject({ sent: 0, skipped: 1 })
    expect(smtp.received.length).toBe(before)
  })

  it('delivers from the running app when SMTP_URL is set', async () => {
    const app = await buildApp({ ...t.config, smtpUrl: smtp.url }, t.database)
    try {
      const filed = await fileReport(app, t.db, t.config, beat.at, { contact: namedContact, language: 'en' })
      const headers = (await loginAs(app, beat.officer)).headers
      const arriving = smtp.next()

      await app.inject({ method: 'POST', url: `/api/staff/reports/${filed.reference}/updates`, headers, payload: { text: 'Could you tell us which door?', language: 'en', visibility: 'reporter', question: true } })
      const mail = await arriving

      expect(subjectOf(mail.raw)).toMatch(/^Your neighbourhood officer has a question about report NB-/)
      expect(bodyOf(mail.raw)).toContain('Could you tell us which door?')
    } finally {
      await app.close()
    }
  })
})
