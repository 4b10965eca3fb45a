import { eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { outbox, zoneSubscriptions } from '../../../server/src/db/schema.js'
import { subscriptionToken } from '../../../server/src/modules/feeds/subscriptions.js'
import { deliverDue } from '../../../server/src/modules/updates/mailer.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'
import { bodyOf, headerOf, subjectOf, TestSmtp } from '../helpers/smtp.js'

let t: TestApp
let zoneId: number
let officer: StaffLogin
let inbox: TestSmtp
const form = { 'content-type': 'application/x-www-form-urlencoded' }

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db, { name: 'Flagey' })).id
  officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId }))
  inbox = new TestSmtp()
  await inbox.start()
})
afterAll(async () => {
  await inbox.stop()
  await t.close()
})
beforeEach(() => { inbox.received = [] })

const subscribe = (email: string, lang = 'fr') =>
  t.app.inject({ method: 'POST', url: `/api/public/zones/${zoneId}/subscriptions?lang=${lang}`, payload: { email } })
const publishPost = (title: string) =>
  t.app.inject({ method: 'POST', url: `/api/staff/zones/${zoneId}/posts`, headers: officer.headers, payload: { title, body: 'Details of the week.', language: 'nl' } })
const pathOf = (url: string) => url.replace('http://localhost:3000', '')
const pendingAlerts = () => t.db.select().from(outbox).where(like(outbox.kind, 'email.zone%'))
const deliver = () => deliverDue(t.db, t.config, inbox.transport, new Date(), 100)

async function subscribeAndConfirm(email: string): Promise<void> {
  expect((await subscribe(email)).statusCode).toBe(202)
  await deliver()
  const link = bodyOf(inbox.received.at(-1)!.raw).match(/http:\/\/localhost:3000\/api\/public\/subscriptions\/confirm\?\S+/)![0]
  expect((await t.app.inject({ method: 'POST', url: pathOf(link), payload: {} })).json()).toEqual({ status: 'confirmed' })
}

describe('zone e-mail alerts', () => {
  it('mails a signed confirmation link, and nothing else until its button is pressed', async () => {
    const res = await subscribe('amal@example.org')
    expect(res.statusCode).toBe(202)
    expect(res.json()).toEqual({ status: 'pending' })
    const queued = await pendingAlerts()
    expect(queued.map((q) => q.kind)).toEqual(['email.zone_subscription_confirm'])
    expect(JSON.stringify(queued[0]!.payload)).not.toContain('amal')

    expect((await deliver()).sent).toBe(1)
    const [mail] = inbox.received
    expect(mail!.to).toEqual(['amal@example.org'])
    expect(subjectOf(mail!.raw)).toBe(fr.alert.confirm_subject.replace('{{zone}}', 'Flagey'))
    const link = bodyOf(mail!.raw).match(/http:\/\/localhost:3000\/api\/public\/subscriptions\/confirm\?\S+/)![0]

    // Opening the link (or a mail scanner fetching it) changes nothing: it shows a page with a button.
    const pageRes = await t.app.inject(pathOf(link))
    expect(pageRes.statusCode).toBe(200)
    expect(pageRes.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(pageRes.body).toContain('<form method="post"')
    expect(pageRes.body).toContain(fr.alert.confirm_button)
    const [row] = await t.db.select().from(zoneSubscriptions).where(eq(zoneSubscriptions.email, 'amal@example.org'))
    expect(row!.confirmedAt).toBeNull()

    expect((await publishPost('Before confirming')).statusCode).toBe(201)
    expect((await pendingAlerts()).filter((q) => !q.sentAt)).toHaveLength(0)

    const confirmed = await t.app.inject({ method: 'POST', url: pathOf(link), headers: form, payload: '' })
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.body).toContain(fr.alert.confirmed.replace(/'/g, '&#39;'))
    const [after] = await t.db.select().from(zoneSubscriptions).where(eq(zoneSubscriptions.id, row!.id))
    expect(after!.confirmedAt).not.toBeNull()
  })

  it('sends each new post to confirmed subscribers with a one-click unsubscribe that deletes the address', async () => {
    await subscribeAndConfirm('bram@example.org')
    inbox.received = []
    expect((await publishPost('Night patrols this week')).statusCode).toBe(201)
    await deliver()
    const mail = inbox.received.find((m) => m.to.includes('bram@example.org'))!
    expect(subjectOf(mail.raw)).toBe('Flagey : Night patrols this week')
    expect(bodyOf(mail.raw)).toContain('Details of the week.')
    expect(headerOf(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    const unsubscribeUrl = headerOf(mail.raw, 'List-Unsubscribe')!.match(/^<(.+)>$/)![1]!
    expect(unsubscribeUrl).toMatch(/^http:\/\/localhost:3000\/api\/public\/subscriptions\/unsubscribe\?token=u\./)

    // What a mail client does (RFC 8058): POST the body below to the header's URL.
    const oneClick = await t.app.inject({ method: 'POST', url: pathOf(unsubscribeUrl), headers: form, payload: 'List-Unsubscribe=One-Click' })
    expect(oneClick.statusCode).toBe(200)
    expect(await t.db.select().from(zoneSubscriptions).where(eq(zoneSubscriptions.email, 'bram@example.org'))).toEqual([])
    // Clients retry; the wish still holds.
    expect((await t.app.inject({ method: 'POST', url: pathOf(unsubscribeUrl), headers: form, payload: 'List-Unsubscribe=One-Click' })).statusCode).toBe(200)

    inbox.received = []
    await publishPost('After unsubscribing')
    await deliver()
    expect(inbox.received.filter((m) => m.to.includes('bram@example.org'))).toEqual([])
  })

  it('answers alike for new, pending and confirmed addresses, and re-sends a confirmation at most every ten minutes', async () => {
    await subscribeAndConfirm('chloe@example.org')
    const before = (await pendingAlerts()).length
    expect((await subscribe('Chloe@Example.org')).json()).toEqual({ status: 'pending' })
    expect((await subscribe('dirk@example.org')).json()).toEqual({ status: 'pending' })
    expect((await subscribe('dirk@example.org')).json()).toEqual({ status: 'pending' })
    const queued = (await pendingAlerts()).slice(before)
    // One confirmation for Dirk; none for the address already confirmed, whatever its case.
    expect(queued.map((q) => q.kind)).toEqual(['email.zone_subscription_confirm'])
  })

  it('refuses forged, expired and wrong-purpose tokens with SUBSCRIPTION_TOKEN_INVALID', async () => {
    await subscribe('eva@example.org')
    const [row] = await t.db.select().from(zoneSubscriptions).where(eq(zoneSubscriptions.email, 'eva@example.org'))
    const secret = t.config.sessionSecret
    const good = subscriptionToken(secret, 'confirm', row!)
    const tries = [
      ['confirm', `${good.slice(0, -4)}AAAA`],
      ['confirm', subscriptionToken(secret, 'confirm', row!, Date.now() - 8 * 86_400_000)],
      ['confirm', subscriptionToken('another-secret-0123456789abcdef0123456789', 'confirm', row!)],
      ['unsubscribe', good],
      ['confirm', subscriptionToken(secret, 'unsubscribe', row!)],
      ['confirm', 'nonsense'],
    ] as const
    for (const [action, token] of tries) {
      const res = await t.app.inject({ method: 'POST', url: `/api/public/subscriptions/${action}?token=${encodeURIComponent(token)}&lang=fr`, payload: {} })
      expect(res.statusCode, `${action} ${token}`).toBe(400)
      expect(res.json()).toEqual({ code: 'SUBSCRIPTION_TOKEN_INVALID', message: fr.errors.SUBSCRIPTION_TOKEN_INVALID })
    }
    expect((await t.app.inject({ method: 'POST', url: `/api/public/subscriptions/confirm?token=${good}`, payload: {} })).statusCode).toBe(200)
  })

  it('keeps the address for alerts alone: the table holds no link to any report, and no queued row names it', async () => {
    await subscribe('farah@example.org')
    const [row] = await t.db.select().from(zoneSubscriptions).where(eq(zoneSubscriptions.email, 'farah@example.org'))
    expect(Object.keys(row!).sort()).toEqual(['confirmedAt', 'createdAt', 'email', 'id', 'language', 'zoneId'])
    for (const message of await pendingAlerts()) expect(JSON.stringify(message.payload)).not.toMatch(/@example\.org/)
    const invalid = await t.app.inject({ method: 'POST', url: `/api/public/zones/${zoneId}/subscriptions`, payload: { email: 'not an address' } })
    expect(invalid.json().code).toBe('VALIDATION_FAILED')
    const unknownZone = await t.app.inject({ method: 'POST', url: '/api/public/zones/999999/subscriptions', payload: { email: 'x@example.org' } })
    expect(unknownZone.statusCode).toBe(404)
  })
})
