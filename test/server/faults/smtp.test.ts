import { eq, sql } from 'drizzle-orm'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { outbox } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aBeat, fileReport, namedContact, type Beat } from '../workflow/fixtures.js'
import { freePort } from './server-process.js'

/**
 * The mail server is down (nothing listens on its port) while an officer answers a named reporter. The running
 * app's own outbox worker tries, keeps the mail, and sends it once the server is up and the backoff has passed.
 */
let t: TestApp
let beat: Beat
let port: number
let smtp: SMTPServer | null = null
const received: { to: string[]; raw: string }[] = []

beforeAll(async () => {
  port = await freePort()
  t = await startApp({ smtpUrl: `smtp://127.0.0.1:${port}` })
  beat = await aBeat(t.app, t.db)
})
afterAll(async () => {
  await t.close()
  if (smtp) await new Promise<void>((resolve) => smtp!.close(() => resolve()))
})

function startSmtp(): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => { raw += chunk })
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw })
        callback()
      })
    },
  })
  return new Promise((resolve) => smtp!.listen(port, '127.0.0.1', resolve))
}

describe('an update email while the mail server is down', () => {
  it('waits in the outbox and goes out once, later, when the server is back', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at, { contact: namedContact, language: 'en' })

    const posted = await t.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${filed.reference}/updates`,
      headers: beat.login.headers,
      payload: { text: 'We found the scooter; come to the station with your papers.', language: 'en', visibility: 'reporter' },
    })

    // The officer's update does not wait for the mail server.
    expect(posted.statusCode).toBe(201)
    const mailOf = async () => (await t.db.select().from(outbox)).find((row) => row.payload.reportId === filed.report.id)!
    await vi.waitFor(async () => expect((await mailOf()).lastError).not.toBeNull(), { timeout: 15_000, interval: 100 })
    const failed = await mailOf()
    expect(failed).toMatchObject({ attempts: 1, sentAt: null, failedAt: null })
    // Why it failed is kept for an operator, without the address or the text.
    expect(failed.lastError).toMatch(/^E[A-Z]+$/)
    expect(failed.availableAt.getTime()).toBeGreaterThan(Date.now())

    await startSmtp()
    // The backoff passes: the row is due now, and the worker's next round (every 5 s) finds it.
    await t.db.update(outbox).set({ availableAt: sql`now()` }).where(eq(outbox.id, failed.id))

    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 20_000, interval: 100 })
    expect(received[0]!.to).toEqual([namedContact.email])
    expect(received[0]!.raw).toContain('We found the scooter')
    await vi.waitFor(async () => expect((await mailOf()).sentAt).not.toBeNull(), { timeout: 5_000, interval: 100 })
    expect(await mailOf()).toMatchObject({ attempts: 2, lastError: null })
  })
})
