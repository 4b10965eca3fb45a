import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog } from '../../../server/src/db/schema.js'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { runRetention } from '../../../server/src/modules/retention/job.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aBeat, type Beat } from '../workflow/fixtures.js'
import { close, day, file, reportOf, settings } from './helpers.js'

let t: TestApp
let beat: Beat
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
})
afterAll(() => t.close())

const contact = { name: 'An Peeters', email: 'an.peeters@example.be', phone: '0470 12 34 56', consent: true }
const run = (at: Date) => runRetention(t.db, photoStorage(t.config), settings, at)

describe("named reporters' contact data", () => {
  it('is erased the configured number of days after the report closed, with an audit entry', async () => {
    const { reference } = await file(t, beat.at, { contact })
    await close(t.app, reference, beat.login.headers)
    const closedAt = (await reportOf(t, reference)).closedAt!

    expect((await run(new Date(closedAt.getTime() + 89 * day))).contacts).toBe(0)
    expect(await reportOf(t, reference)).toMatchObject({ reporterName: contact.name, reporterEmail: contact.email, contactErasedAt: null })

    const at = new Date(closedAt.getTime() + 91 * day)
    const outcome = await run(at)

    expect(outcome).toMatchObject({ skipped: false, contacts: 1 })
    const erased = await reportOf(t, reference)
    expect(erased).toMatchObject({ reporterName: null, reporterEmail: null, reporterPhone: null, contactConsent: false, contactErasedAt: at })
    expect(erased).toMatchObject({ status: 'closed', category: 'nuisance', zoneId: beat.zoneId, description: 'Loud music every night from the empty shop on the corner' })
    const entries = await t.db.select().from(auditLog).where(and(eq(auditLog.reportId, erased.id), eq(auditLog.action, 'report.contact_erased')))
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ staffId: null, detail: { reason: 'retention', days: 90 } })
  })

  it('stays while the report is open, however old, and the officer can still read it', async () => {
    const { reference } = await file(t, beat.at, { contact })

    await run(new Date(Date.now() + 1000 * day))

    expect(await reportOf(t, reference)).toMatchObject({ reporterName: contact.name, contactErasedAt: null })
    const res = await t.app.inject({ method: 'GET', url: `/api/staff/reports/${reference}/contact`, headers: { cookie: beat.login.cookie } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ name: contact.name, email: contact.email })
  })

  it('is no longer shown to staff once erased', async () => {
    const { reference } = await file(t, beat.at, { contact })
    await close(t.app, reference, beat.login.headers)

    await run(new Date(Date.now() + 91 * day))

    const detail = await t.app.inject({ method: 'GET', url: `/api/staff/reports/${reference}`, headers: { cookie: beat.login.cookie } })
    expect(detail.json()).toMatchObject({ hasContact: false, canSeeContact: false })
    const res = await t.app.inject({ method: 'GET', url: `/api/staff/reports/${reference}/contact`, headers: { cookie: beat.login.cookie } })
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.body).not.toContain('Peeters')
  })

  it('leaves anonymous reports as they are', async () => {
    const { reference } = await file(t, beat.at)
    await close(t.app, reference, beat.login.headers)
    const before = await reportOf(t, reference)

    await run(new Date(Date.now() + 91 * day))

    expect(await reportOf(t, reference)).toEqual(before)
  })
})
