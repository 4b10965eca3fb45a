import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { photos, reports, type Photo, type Report } from '../../../server/src/db/schema.js'
import type { TestApp } from '../helpers/app.js'
import { fixture, multipart } from '../photos/fixtures.js'

export const day = 86_400_000
export const settings = { contactDays: 90, rejectedPhotoDays: 30 }

export interface Filed {
  reference: string
  receiptCode: string
  report: Report
}

/** Files a report through the intake API, with photos when asked (real JPEGs through the real pipeline). */
export async function file(t: TestApp, at: { lat: number; lon: number }, options: { contact?: { name: string; email: string; phone?: string; consent: boolean }; photos?: number; category?: string; description?: string; address?: string } = {}): Promise<Filed> {
  const body = {
    category: options.category ?? 'nuisance',
    description: options.description ?? 'Loud music every night from the empty shop on the corner',
    location: at,
    ...(options.address ? { address: options.address } : {}),
    language: 'en',
    anonymous: !options.contact,
    ...(options.contact ? { contact: options.contact } : {}),
  }
  const count = options.photos ?? 0
  const request = count > 0
    ? (() => {
        const form = multipart({ report: JSON.stringify(body) }, Array.from({ length: count }, (_, i) => ({ filename: `p${i}.jpg`, type: 'image/jpeg', data: fixture('gps_DSCN0010.jpg') })))
        return { method: 'POST' as const, url: '/api/reports', payload: form.payload, headers: form.headers }
      })()
    : { method: 'POST' as const, url: '/api/reports', payload: body }
  const res = await t.app.inject(request)
  if (res.statusCode !== 201) throw new Error(`intake failed: ${res.statusCode} ${res.body}`)
  const { reference, receiptCode } = res.json() as { reference: string; receiptCode: string }
  return { reference, receiptCode, report: await reportOf(t, reference) }
}

export async function reportOf(t: TestApp, reference: string): Promise<Report> {
  const [row] = await t.db.select().from(reports).where(eq(reports.reference, reference))
  return row!
}

export async function photosOf(t: TestApp, reportId: number): Promise<Photo[]> {
  return t.db.select().from(photos).where(eq(photos.reportId, reportId))
}

/** The resident's bearer token, through the real receipt session. */
export async function residentToken(app: FastifyInstance, receiptCode: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/receipt/session', payload: { code: receiptCode }, remoteAddress: `203.0.113.${1 + Math.floor(Math.random() * 254)}` })
  if (res.statusCode !== 200) throw new Error(`receipt session failed: ${res.statusCode} ${res.body}`)
  return (res.json() as { token: string }).token
}

/** Closes a report through the officer's workflow API, with the public answer closing needs. */
export async function close(app: FastifyInstance, reference: string, headers: Record<string, string>): Promise<void> {
  const res = await app.inject({ method: 'POST', url: `/api/staff/reports/${reference}/status`, headers, payload: { status: 'closed', closeReason: 'resolved', answer: { cannedKey: 'patrols_increased' } } })
  if (res.statusCode !== 200) throw new Error(`closing failed: ${res.statusCode} ${res.body}`)
}
