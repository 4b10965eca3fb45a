import { categoryKeys } from '@nabij/shared/domain/categories'
import { eq } from 'drizzle-orm'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { photos, staffUsers, type StaffUser } from '../../../server/src/db/schema.js'
import { issueResidentToken } from '../../../server/src/modules/reports/resident-token.js'
import type { TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin, type TestStaff } from '../helpers/factories.js'
import { fixture, multipart } from '../photos/fixtures.js'
import type { Fuzzing, Identity } from './requests.js'

export const flagey = { lat: 50.8275, lon: 4.3721 }

export interface World extends Fuzzing {
  admin: TestStaff
  officer: TestStaff
  identities: { admin: Identity; officer: Identity }
  /** Undoes what a fuzzed request may have done to the fuzzing accounts (disabled, demoted, logged out). */
  restore(): Promise<void>
}

async function ok(app: FastifyInstance, request: InjectOptions, status = 200): Promise<Record<string, unknown>> {
  const res = await app.inject(request)
  if (res.statusCode !== status) throw new Error(`seeding ${request.method} ${request.url}: ${res.statusCode} ${res.body}`)
  return res.json()
}

/**
 * A small, complete world for the fuzzer: a zone with its officer, an admin, reports of both kinds with a photo, a
 * question and a reply, a published report, a closed one, a priority round, a post and an Open311 client. Its ids are
 * the small integers the generators favour.
 */
export async function seedWorld(t: TestApp): Promise<World> {
  const { app, db, config } = t
  const zone = await aZone(db, { around: flagey, policeZoneId: '5339' })
  const admin = await aStaff(db, { role: 'admin' })
  const officer = await aStaff(db, { role: 'officer', zoneId: zone.id })
  let adminLogin = await loginAs(app, admin)
  let officerLogin = await loginAs(app, officer)

  const report = { category: 'drugs', description: 'Dealing by the playground after 22:00', location: flagey, anonymous: true }
  const form = multipart({ report: JSON.stringify(report) }, [{ filename: 'a.jpg', type: 'image/jpeg', data: fixture('gps_DSCN0010.jpg') }])
  const first = await ok(app, { method: 'POST', url: '/api/reports', payload: form.payload, headers: form.headers }, 201)
  const named = await ok(app, { method: 'POST', url: '/api/reports', payload: { ...report, category: 'nuisance', anonymous: false, contact: { name: 'An Peeters', email: 'an@example.be', consent: true } } }, 201)
  const third = await ok(app, { method: 'POST', url: '/api/reports', payload: { ...report, category: 'vandalism' } }, 201)
  const refs = [first, named, third].map((r) => String(r.reference))
  const firstToken = `Bearer ${String((await ok(app, { method: 'POST', url: '/api/receipt/session', payload: { code: first.receiptCode } })).token)}`
  // The fuzzed resident holds the third report's token: its erasure (DELETE /api/followup) leaves the photo others use.
  const bearer = `Bearer ${String((await ok(app, { method: 'POST', url: '/api/receipt/session', payload: { code: third.receiptCode } })).token)}`

  await ok(app, { method: 'POST', url: `/api/staff/reports/${refs[0]}/updates`, headers: officerLogin.headers, payload: { text: 'Which entrance?', language: 'en', visibility: 'reporter', question: true } }, 201)
  await ok(app, { method: 'POST', url: '/api/followup/replies', headers: { authorization: firstToken }, payload: { text: 'The one by the bakery' } }, 201)
  await ok(app, { method: 'POST', url: `/api/staff/moderation/reports/${refs[1]}/decision`, headers: adminLogin.headers, payload: { decision: 'publish_original', reason: 'fine' } })
  await ok(app, { method: 'POST', url: `/api/staff/reports/${refs[2]}/status`, headers: officerLogin.headers, payload: { status: 'closed', closeReason: 'resolved', answer: { cannedKey: 'patrols_increased' } } })
  const closesAt = new Date(Date.now() + 7 * 86_400_000).toISOString()
  await ok(app, { method: 'POST', url: `/api/staff/zones/${zone.id}/priority-rounds`, headers: officerLogin.headers, payload: { title: 'What first?', language: 'nl', closesAt, candidates: [{ title: 'Speeding' }, { title: 'Litter' }] } }, 201)
  await ok(app, { method: 'POST', url: `/api/staff/zones/${zone.id}/posts`, headers: officerLogin.headers, payload: { title: 'Night patrol', body: 'We walked the park twice.', language: 'en' } }, 201)
  const client = await ok(app, { method: 'POST', url: '/api/staff/open311-clients', headers: adminLogin.headers, payload: { name: 'FixMyStreet' } }, 201)
  // A colleague hands the beat over to the fuzzing officer: a handover note to read, annotate and mark seen.
  const leaving = await aStaff(db, { role: 'officer', zoneId: zone.id, primary: false })
  await ok(app, { method: 'POST', url: `/api/zones/${zone.id}/handover`, headers: adminLogin.headers, payload: { fromStaffId: leaving.id, toStaffId: officer.id, note: 'Keys at the desk' } })

  const photoIds = (await db.select({ id: photos.id }).from(photos)).map((p) => p.id)
  const originals = new Map<number, StaffUser>()
  for (const s of [admin, officer]) originals.set(s.id, (await db.select().from(staffUsers).where(eq(staffUsers.id, s.id)))[0]!)

  const identities = { admin: asIdentity('admin', adminLogin), officer: asIdentity('officer', officerLogin) }
  const world: World = {
    admin,
    officer,
    identities,
    residentBearer: bearer,
    pools: {
      strings: [...refs, String(first.receiptCode), String(client.apiKey), admin.email, officer.email, 'json', 'xml', ...categoryKeys, issueResidentToken(config, 1).token],
      uuids: photoIds,
      byName: {
        ref: refs,
        into: refs,
        reference: refs,
        service_request_id: refs,
        code: [String(first.receiptCode), String(third.receiptCode), ...categoryKeys],
        receiptCode: [String(third.receiptCode)],
        api_key: [String(client.apiKey)],
        service_code: [...categoryKeys],
        email: [admin.email, officer.email],
      },
    },
    async restore() {
      for (const row of originals.values()) {
        await db.update(staffUsers).set({
          role: row.role, passwordHash: row.passwordHash, totpSecret: null, disabledAt: null, lockedUntil: null, failedLogins: 0,
        }).where(eq(staffUsers.id, row.id))
      }
      const alive = async (login: StaffLogin) => (await app.inject({ method: 'GET', url: '/api/staff/me', headers: { cookie: login.cookie } })).statusCode === 200
      if (!(await alive(adminLogin))) adminLogin = await loginAs(app, admin)
      if (!(await alive(officerLogin))) officerLogin = await loginAs(app, officer)
      Object.assign(identities.admin, asIdentity('admin', adminLogin))
      Object.assign(identities.officer, asIdentity('officer', officerLogin))
    },
  }
  return world
}

function asIdentity(name: string, login: StaffLogin): Identity {
  return { name, cookie: login.cookie, csrfToken: login.csrfToken }
}
