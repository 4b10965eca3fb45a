import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { maxBackfill, type EventMessage } from '../../../shared/src/api/live.js'
import { reports } from '../../../server/src/db/schema.js'
import { recordEvent } from '../../../server/src/modules/realtime/events.js'
import { liveHubOf } from '../../../server/src/modules/realtime/routes.js'
import { issueResidentToken, verifyResidentToken } from '../../../server/src/modules/reports/resident-token.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs } from '../helpers/factories.js'
import { aBeat, fileReport, type Beat, type Filed } from '../workflow/fixtures.js'
import { LiveTestClient } from './live-client.js'

let t: TestApp
let beat: Beat
let base: string
const clients: LiveTestClient[] = []
beforeAll(async () => {
  t = await startApp()
  base = await t.app.listen({ port: 0, host: '127.0.0.1' })
  beat = await aBeat(t.app, t.db)
})
afterAll(async () => {
  for (const c of clients) c.kill()
  await t.close()
})

async function open(options: Parameters<typeof LiveTestClient.open>[1] = {}): Promise<LiveTestClient> {
  const client = await LiveTestClient.open(base, options)
  clients.push(client)
  return client
}
const asResident = (filed: Filed, lang = 'en') => open({ query: `token=${encodeURIComponent(filed.token)}&lang=${lang}` })
const asStaff = (login = beat.login) => open({ headers: { cookie: login.cookie } })
const post = (reference: string, payload: object, login = beat.login) =>
  t.app.inject({ method: 'POST', url: `/api/staff/reports/${reference}/updates`, headers: login.headers, payload })
const updateText = (e: EventMessage) => (e.data.update as { text: string | null }).text

describe('GET /api/live: who sees what', () => {
  it('gives the reporter their updates in their language, and staff everything, internal notes included', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const resident = await asResident(filed, 'fr')
    const officer = await asStaff()
    expect(resident.messages[0]).toMatchObject({ type: 'welcome', as: 'resident' })
    expect(officer.messages[0]).toMatchObject({ type: 'welcome', as: 'staff' })
    expect(await resident.subscribe('report')).toMatchObject({ type: 'subscribed', channel: 'report' })
    expect(await officer.subscribe('report', filed.reference)).toMatchObject({ type: 'subscribed', id: filed.reference })

    await post(filed.reference, { text: 'Known nuisance address; check the file.', language: 'en', visibility: 'internal' })
    await post(filed.reference, { cannedKey: 'investigating', visibility: 'reporter' })

    const seen = await resident.eventOf('report.update_posted')
    expect(updateText(seen)).toBe(fr.update.investigating)
    expect(seen).toMatchObject({ reference: filed.reference, data: { update: { kind: 'canned', visibility: 'reporter' } } })
    expect(seen.reportId).toBeUndefined()
    expect(seen.at).toMatch(/T\d\d:00:00\.000Z$/)
    const staffSeen = await officer.eventOf('report.update_posted', (e) => (e.data.update as { cannedKey: string | null }).cannedKey === 'investigating')
    expect(staffSeen.reportId).toBe(filed.report.id)
    expect(officer.events().filter((e) => e.eventType === 'report.update_posted').map(updateText)).toContain('Known nuisance address; check the file.')
    await resident.sync()
    expect(JSON.stringify(resident.messages)).not.toContain('Known nuisance')
    expect(JSON.stringify(resident.messages)).not.toContain(beat.officer.displayName)
  })

  it('shows the officer the reporter’s answer to a question as it arrives', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const officer = await asStaff()
    const resident = await asResident(filed)
    await officer.subscribe('report', filed.reference)
    await resident.subscribe('report')

    await post(filed.reference, { text: 'Which entrance do you mean?', language: 'en', visibility: 'reporter', question: true, waitForReporter: true })
    const question = await resident.eventOf('report.update_posted')
    expect(question.data.update).toMatchObject({ kind: 'question', text: 'Which entrance do you mean?' })
    expect((await resident.eventOf('report.status_changed', (e) => e.data.to === 'waiting_for_reporter')).data.update).toMatchObject({ kind: 'status', cannedKey: 'status.waiting_for_reporter' })
    const reply = await t.app.inject({ method: 'POST', url: '/api/followup/replies', headers: { authorization: `Bearer ${filed.token}` }, payload: { text: 'The side door on the Rue du Trône.', language: 'en' } })
    expect(reply.statusCode).toBe(201)

    const seen = await officer.eventOf('report.reporter_replied')
    expect(seen.data.update).toMatchObject({ author: 'reporter', text: 'The side door on the Rue du Trône.', moderationState: 'pending' })
    expect((await resident.eventOf('report.reporter_replied')).data.update).toMatchObject({ author: 'reporter', text: 'The side door on the Rue du Trône.' })
  })

  it('takes the resident’s token in the first message as well', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const resident = await open()
    expect(resident.messages[0]).toMatchObject({ type: 'welcome', as: 'public' })

    const welcomed = resident.next((m) => m.type === 'welcome')
    resident.send({ type: 'auth', token: filed.token })
    expect(await welcomed).toMatchObject({ as: 'resident' })
    expect(await resident.subscribe('report', filed.reference)).toMatchObject({ type: 'subscribed' })
  })

  it('refuses channels the caller may not watch, with stable codes', async () => {
    const mine = await fileReport(t.app, t.db, t.config, beat.at)
    const other = await aBeat(t.app, t.db)
    const theirs = await fileReport(t.app, t.db, t.config, other.at)
    const anyone = await open({ query: 'lang=fr' })
    const resident = await asResident(mine)
    const foreignOfficer = await asStaff(other.login)

    expect(await anyone.subscribe('report', mine.reference)).toEqual({ type: 'error', code: 'UNAUTHENTICATED', message: fr.errors.UNAUTHENTICATED, channel: 'report', id: mine.reference })
    expect(await anyone.subscribe('queue')).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' })
    expect(await resident.subscribe('report', theirs.reference)).toMatchObject({ type: 'error', code: 'REPORT_NOT_FOUND' })
    expect(await foreignOfficer.subscribe('report', mine.reference)).toMatchObject({ type: 'error', code: 'REPORT_NOT_FOUND' })
    expect(await anyone.subscribe('zone', 999_999)).toMatchObject({ type: 'error', code: 'ZONE_NOT_FOUND' })
    anyone.send({ type: 'subscribe', channel: 'everything' })
    expect(await anyone.next((m) => m.type === 'error')).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(await anyone.subscribe('zone', 2 ** 40)).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' })
    expect(await resident.subscribe('report', 2 ** 52, 2 ** 52)).toMatchObject({ type: 'error', code: 'REPORT_NOT_FOUND' })
    anyone.send({ type: 'subscribe', channel: 'zone', id: 1, lastEventId: 1e300 })
    expect(await anyone.next((m) => m.type === 'error')).toMatchObject({ code: 'VALIDATION_FAILED' })
  })

  it('closes a socket opened with a forged token', async () => {
    const forged = await open({ query: 'token=r1.1.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })

    expect(forged.messages[0]).toMatchObject({ type: 'error', code: 'RESIDENT_TOKEN_INVALID' })
    expect((await forged.whenClosed()).code).toBe(4001)
  })

  it('does not let a page of another site use the staff cookie', async () => {
    const hijack = await open({ headers: { cookie: beat.login.cookie, origin: 'https://evil.example' } })
    const samePage = await open({ headers: { cookie: beat.login.cookie, origin: 'http://localhost:3000' } })

    expect(hijack.messages[0]).toMatchObject({ type: 'welcome', as: 'public' })
    expect(await hijack.subscribe('queue')).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' })
    expect(samePage.messages[0]).toMatchObject({ type: 'welcome', as: 'staff' })
  })

  it('feeds a zone’s public channel with posts and the public side of published reports only', async () => {
    const zone = await aBeat(t.app, t.db)
    const filed = await fileReport(t.app, t.db, t.config, zone.at)
    const watcher = await open()
    await watcher.subscribe('zone', zone.zoneId)

    await post(filed.reference, { cannedKey: 'patrols_increased', visibility: 'public' }, zone.login)
    const posted = await t.app.inject({ method: 'POST', url: `/api/staff/zones/${zone.zoneId}/posts`, headers: zone.login.headers, payload: { title: 'Night patrols', body: 'We patrol every night this week.', language: 'en' } })
    expect(posted.statusCode).toBe(201)
    const published = await watcher.eventOf('zone.post_published')

    expect(published.data.post).toMatchObject({ title: 'Night patrols', zoneId: zone.zoneId })
    // The report is not published yet: its public update stayed off the public channel.
    expect(watcher.events().filter((e) => e.eventType === 'report.update_posted')).toHaveLength(0)

    await t.db.update(reports).set({ moderationState: 'published_summary' }).where(eq(reports.id, filed.report.id))
    await post(filed.reference, { text: 'Internal: owner is cooperative.', language: 'en', visibility: 'internal' }, zone.login)
    await post(filed.reference, { text: 'Reporter only.', language: 'en', visibility: 'reporter' }, zone.login)
    await post(filed.reference, { cannedKey: 'thanks', visibility: 'public' }, zone.login)
    const update = await watcher.eventOf('report.update_posted')
    expect(update.data.update).toMatchObject({ cannedKey: 'thanks', visibility: 'public' })
    await watcher.sync()
    expect(JSON.stringify(watcher.messages)).not.toMatch(/owner is cooperative|Reporter only/)
  })

  it('feeds an officer’s queue with the reports of their zones only', async () => {
    const queue = await aBeat(t.app, t.db)
    const other = await aBeat(t.app, t.db)
    const officer = await asStaff(queue.login)
    await officer.subscribe('queue')

    const elsewhere = await fileReport(t.app, t.db, t.config, other.at)
    const mine = await fileReport(t.app, t.db, t.config, queue.at)

    const filed = await officer.eventOf('report.filed')
    expect(filed.reference).toBe(mine.reference)
    await officer.sync()
    expect(officer.events().map((e) => e.reference)).not.toContain(elsewhere.reference)
  })

  it('feeds a moderator’s queue with what enters and leaves review, never the officers’ updates or a report channel', async () => {
    const moderator = await asStaff(await loginAs(t.app, await aStaff(t.db, { role: 'moderator' })))
    await moderator.subscribe('queue')
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    expect(await moderator.subscribe('report', filed.reference)).toMatchObject({ type: 'error', code: 'REPORT_NOT_FOUND' })

    expect((await moderator.eventOf('report.filed')).reference).toBe(filed.reference)
    await post(filed.reference, { text: 'Informant lives at number 12.', language: 'en', visibility: 'internal' })
    await post(filed.reference, { cannedKey: 'investigating', visibility: 'reporter' })
    const reply = await t.app.inject({ method: 'POST', url: '/api/followup/replies', headers: { authorization: `Bearer ${filed.token}` }, payload: { text: 'It happened again last night.' } })
    expect(reply.statusCode).toBe(201)
    // The reporter's reply reaches review; the officers' note and message before it do not.
    expect((await moderator.eventOf('report.reporter_replied')).reference).toBe(filed.reference)
    await moderator.sync()
    expect(moderator.events().map((e) => e.eventType)).not.toContain('report.update_posted')
    expect(JSON.stringify(moderator.messages)).not.toContain('Informant')
  })
})

describe('GET /api/live: resuming', () => {
  it('sends what a reconnecting client missed, in order, once, before anything new', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const first = await asResident(filed)
    const subscribed = await first.subscribe('report')
    await post(filed.reference, { text: 'One', language: 'en', visibility: 'reporter' })
    const one = await first.eventOf('report.update_posted')
    first.kill()
    await first.whenClosed()
    const cursor = Math.max(one.id, (subscribed as { lastEventId: number }).lastEventId)

    await post(filed.reference, { text: 'Two', language: 'en', visibility: 'reporter' })
    await post(filed.reference, { text: 'Internal three', language: 'en', visibility: 'internal' })
    await post(filed.reference, { text: 'Four', language: 'en', visibility: 'public' })
    const again = await asResident(filed)
    const resumed = await again.subscribe('report', undefined, cursor)
    await post(filed.reference, { text: 'Five', language: 'en', visibility: 'public' })
    await again.eventOf('report.update_posted', (e) => updateText(e) === 'Five')

    const texts = again.events().map(updateText)
    expect(texts).toEqual(['Two', 'Four', 'Five'])
    const ids = again.events().map((e) => e.id)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    // The backfill came first, then `subscribed`, then the live event.
    const order = again.messages.filter((m) => m.type === 'event' || m.type === 'subscribed').map((m) => (m.type === 'event' ? updateText(m) : 'subscribed'))
    expect(order).toEqual(['Two', 'Four', 'subscribed', 'Five'])
    expect(resumed).toMatchObject({ type: 'subscribed' })
  })

  it('asks the client to reload when it missed more than the backfill holds', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const client = await asResident(filed)
    const cursor = liveHubOf(t.app).head
    await t.db.transaction(async (tx) => {
      for (let i = 0; i <= maxBackfill; i++) await recordEvent(tx, { type: 'report.due_changed', reportId: filed.report.id, zoneId: beat.zoneId, payload: { dueAt: null } })
    })

    expect(await client.subscribe('report', undefined, cursor)).toMatchObject({ type: 'resync', channel: 'report' })
    expect(await client.waitFor((m) => m.type === 'subscribed')).toMatchObject({ channel: 'report' })
  })
})

describe('GET /api/live: dead and slow sockets', () => {
  it('closes a socket that stopped answering pings and keeps the ones that answer', async () => {
    const hub = liveHubOf(t.app)
    const dead = await open({ autoPong: false })
    const healthy = await open()

    await hub.beat()
    await healthy.waitFor((m) => m.type === 'heartbeat')
    await healthy.sync()
    await hub.beat()

    expect((await dead.whenClosed()).code).toBe(1006)
    expect(healthy.closed).toBeNull()
    expect([...hub.clients].map((c) => c.socket.readyState)).not.toContain(3)
  })

  it('closes a resident socket once its token has expired, as the HTTP API would refuse it', async () => {
    const filed = await fileReport(t.app, t.db, t.config, beat.at)
    const shortLived = issueResidentToken(t.config, filed.report.id, Date.now(), 1_500).token
    const resident = await open({ query: `token=${encodeURIComponent(shortLived)}` })
    expect(await resident.subscribe('report')).toMatchObject({ type: 'subscribed' })

    await vi.waitFor(() => expect(verifyResidentToken(t.config, shortLived)).toBeNull(), { timeout: 5_000, interval: 100 })
    await liveHubOf(t.app).beat()

    expect((await resident.whenClosed()).code).toBe(4001)
  })

  it('drops a client that does not read instead of holding its messages', async () => {
    const hub = liveHubOf(t.app)
    const zone = await aBeat(t.app, t.db)
    const slow = await open()
    await slow.subscribe('zone', zone.zoneId)
    const before = hub.droppedSlow
    hub.maxBufferedBytes = 256 * 1024
    try {
      slow.socket.pause()
      const body = 'x'.repeat(60_000)
      // About 20 MB: more than the kernel buffers on both ends hold.
      for (let batch = 0; batch < 10; batch++) {
        await t.db.transaction(async (tx) => {
          for (let i = 0; i < 35; i++) await recordEvent(tx, { type: 'zone.post_published', zoneId: zone.zoneId, payload: { post: { id: i, body } } })
        })
        await hub.poke()
        if (hub.droppedSlow > before) break
      }

      expect(hub.droppedSlow).toBe(before + 1)
      expect([...hub.clients].some((c) => c.subs.has(`zone:${zone.zoneId}`))).toBe(false)
    } finally {
      hub.maxBufferedBytes = 1024 * 1024
      slow.socket.resume()
    }
  })
})
