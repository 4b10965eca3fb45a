import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../../server/src/config.js'
import type { Db } from '../../../server/src/db/connect.js'
import { events, reports, type Report } from '../../../server/src/db/schema.js'
import { issueResidentToken } from '../../../server/src/modules/reports/resident-token.js'
import { aStaff, aZone, loginAs, type StaffLogin, type TestStaff } from '../helpers/factories.js'

/** Points far enough apart that each test's zone holds only its own reports. */
let spot = 0
export function aSpot(): { lat: number; lon: number } {
  spot++
  return { lat: 50.70 + (spot % 20) * 0.02, lon: 4.20 + Math.floor(spot / 20) * 0.02 }
}

export interface Beat {
  zoneId: number
  at: { lat: number; lon: number }
  officer: TestStaff
  login: StaffLogin
}

/** A zone with one officer, logged in through the real API. */
export async function aBeat(app: FastifyInstance, db: Db, options: { promisedResponseHours?: number } = {}): Promise<Beat> {
  const at = aSpot()
  const zone = await aZone(db, { around: at, ...options })
  const officer = await aStaff(db, { role: 'officer', zoneId: zone.id, displayName: `Officer ${zone.id}` })
  return { zoneId: zone.id, at, officer, login: await loginAs(app, officer) }
}

export interface Filed {
  reference: string
  receiptCode: string
  report: Report
  /** The resident's follow-up token, as the receipt session would issue it. */
  token: string
}

export const namedContact = { name: 'An Peeters', email: 'an.peeters@example.be', consent: true }

/** Files a report through the intake API, anonymous unless `contact` is given. */
export async function fileReport(app: FastifyInstance, db: Db, config: Config, at: { lat: number; lon: number }, options: { contact?: typeof namedContact; language?: string; category?: string } = {}): Promise<Filed> {
  const payload = {
    category: options.category ?? 'nuisance',
    description: 'Loud music every night from the empty shop on the corner',
    location: at,
    language: options.language ?? 'nl',
    anonymous: !options.contact,
    ...(options.contact ? { contact: options.contact } : {}),
  }
  const res = await app.inject({ method: 'POST', url: '/api/reports', payload })
  if (res.statusCode !== 201) throw new Error(`intake failed: ${res.statusCode} ${res.body}`)
  const { reference, receiptCode } = res.json() as { reference: string; receiptCode: string }
  const [report] = await db.select().from(reports).where(eq(reports.reference, reference))
  return { reference, receiptCode, report: report!, token: issueResidentToken(config, report!.id).token }
}

export async function reportRow(db: Db, reference: string): Promise<Report> {
  const [row] = await db.select().from(reports).where(eq(reports.reference, reference))
  return row!
}

export async function eventsOf(db: Db, reportId: number) {
  return db.select().from(events).where(eq(events.reportId, reportId)).orderBy(events.id)
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
