import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { queueRoles } from '@nabij/shared/domain/roles'
import {
  ContactReply, CreateStaffBody, LoginBody, ReportRefParams, StaffReportDetail, StaffReportsPage, StaffReportsQuery, PasswordChangeBody, SessionReply, StaffIdParams, StaffList, StaffProfile,
  StaffProfileBody, StaffUserView, TotpDisableBody, TotpEnableBody, TotpSetupReply, UpdateStaffBody,
} from '@nabij/shared/api/staff'
import type { ModuleOptions } from '../../app.js'
import { ValidationFailed } from '../../errors.js'
import { requireStaff, sessionCookieName, sessionCookieOptions } from '../../plugins/auth.js'
import { photoPool } from '../photos/pool.js'
import { processUploads } from '../photos/service.js'
import { photoStorage } from '../photos/storage-factory.js'
import { multipartLimits, readSubmission } from '../reports/multipart.js'
import { ownPhoto, publicOfficerPhoto, removeOwnPhoto, setOwnPhoto, setPhotoPublic, staffProfile } from './profile.js'
import { listStaffReports, staffReportContact, staffReportDetail } from './reports.js'
import { changePassword, createStaff, listStaff, login, logout, staffMe, staffUserView, totpDisable, totpEnable, totpSetup, updateStaff } from './service.js'

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 423: ErrorReply, 429: ErrorReply }
/** Against password spraying across accounts; the per-account lockout stops guessing one account. In memory only. */
export const loginRateLimit = { max: 30, timeWindow: 60_000 }
const tags = ['staff']

const webp = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' })

/** Sessions and accounts: /api/staff/session, /api/staff/me…, /api/staff/users… (admin); officers' public photos. */
export const staffRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db, config }) => {
  await app.register(rateLimit, { global: false })
  await app.register(multipart, { limits: { ...multipartLimits, files: 1 } })
  const storage = photoStorage(config)
  const pool = photoPool()

  app.post('/staff/session', {
    config: { rateLimit: loginRateLimit },
    schema: { tags, summary: 'Log in; sets the HttpOnly session cookie and returns the CSRF token', body: LoginBody, response: { 200: SessionReply, ...errors } },
  }, async (req, reply) => {
    const { cookieValue, ...session } = await login(db, req.body)
    reply.setCookie(sessionCookieName, cookieValue, sessionCookieOptions(config))
    return session
  })

  app.delete('/staff/session', {
    schema: { tags, summary: 'Log out: the session is revoked server-side', response: { 204: Type.Null(), ...errors } },
    preHandler: requireStaff(),
  }, async (req, reply) => {
    await logout(db, req.staff!)
    reply.clearCookie(sessionCookieName, { path: '/' })
    return reply.code(204).send(null)
  })

  app.get('/staff/me', {
    schema: { tags, summary: 'The signed-in staff member and the CSRF token of this session', response: { 200: SessionReply, ...errors } },
    preHandler: requireStaff(),
  }, async (req) => {
    return { staff: await staffMe(db, req.staff!.id), csrfToken: req.csrfToken!, expiresAt: req.sessionExpiresAt!.toISOString() }
  })

  app.put('/staff/me/password', {
    schema: { tags, summary: 'Change the password; every other session of the account ends', body: PasswordChangeBody, response: { 204: Type.Null(), ...errors } },
    preHandler: requireStaff(),
  }, async (req, reply) => {
    await changePassword(db, req.staff!, req.body)
    return reply.code(204).send(null)
  })

  app.post('/staff/me/totp/setup', {
    schema: { tags, summary: 'Start enabling two-factor login: a new secret for the authenticator app', response: { 200: TotpSetupReply, ...errors } },
    preHandler: requireStaff(),
  }, async (req) => totpSetup(db, req.staff!))

  app.post('/staff/me/totp', {
    schema: { tags, summary: 'Enable two-factor login with a code from the app', body: TotpEnableBody, response: { 204: Type.Null(), ...errors } },
    preHandler: requireStaff(),
  }, async (req, reply) => {
    await totpEnable(db, req.staff!, req.body.secret, req.body.code)
    return reply.code(204).send(null)
  })

  app.delete('/staff/me/totp', {
    schema: { tags, summary: 'Disable two-factor login (password required)', body: TotpDisableBody, response: { 204: Type.Null(), ...errors } },
    preHandler: requireStaff(),
  }, async (req, reply) => {
    await totpDisable(db, req.staff!, req.body.password)
    return reply.code(204).send(null)
  })

  // ---------------------------------------------------------------- the caller's own public profile
  app.get('/staff/me/profile', {
    schema: { tags, summary: 'What residents may see of the caller: first name, photo and whether it is shown', response: { 200: StaffProfile, ...errors } },
    preHandler: requireStaff(),
  }, async (req) => staffProfile(db, req.staff!.id))

  app.patch('/staff/me/profile', {
    schema: { tags, summary: "Show or hide the caller's photo on the zone pages (their choice only)", body: StaffProfileBody, response: { 200: StaffProfile, ...errors } },
    preHandler: requireStaff(),
  }, async (req) => setPhotoPublic(db, req.staff!, req.body.photoPublic))

  app.put('/staff/me/photo', {
    schema: {
      tags,
      summary: "Upload or replace the caller's photo (multipart, one file); kept as a 400 px WebP without metadata",
      response: { 200: StaffProfile, 413: ErrorReply, 415: ErrorReply, 422: ErrorReply, 503: ErrorReply, ...errors },
    },
    preHandler: requireStaff(),
  }, async (req) => {
    if (!req.isMultipart()) throw new ValidationFailed('multipart/form-data expected')
    const { uploads } = await readSubmission(req, 'profile', { jsonRequired: false })
    if (uploads.length !== 1) throw new ValidationFailed('one photo expected')
    const [processed] = await processUploads(pool, uploads)
    return setOwnPhoto(db, storage, req.staff!, processed!)
  })

  app.delete('/staff/me/photo', {
    schema: { tags, summary: "Remove the caller's photo (and the choice to show it)", response: { 200: StaffProfile, 503: ErrorReply, ...errors } },
    preHandler: requireStaff(),
  }, async (req) => removeOwnPhoto(db, storage, req.staff!))

  app.get('/staff/me/photo', {
    schema: { tags, summary: "The caller's own photo, shown or not", response: { 200: webp, ...errors } },
    preHandler: requireStaff(),
  }, async (req, reply) => {
    const data = await ownPhoto(db, storage, req.staff!.id)
    return reply.type('image/webp').header('cache-control', 'private, no-cache').header('x-content-type-options', 'nosniff').send(data)
  })

  app.get('/public/officers/:id/photo', {
    schema: {
      tags: ['public'],
      summary: "An officer's photo, while they choose to show it on the zone pages; 404 otherwise",
      params: StaffIdParams,
      response: { 200: webp, 404: ErrorReply },
    },
  }, async (req, reply) => {
    const data = await publicOfficerPhoto(db, storage, req.params.id)
    // Short: an officer who hides the photo is gone from shared caches within minutes.
    return reply.type('image/webp').header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(data)
  })

  app.get('/staff/users', {
    schema: { tags, summary: 'All staff accounts (admin)', response: { 200: StaffList, ...errors } },
    preHandler: requireStaff('admin'),
  }, async () => listStaff(db))

  app.post('/staff/users', {
    schema: { tags, summary: 'Create a staff account (admin)', body: CreateStaffBody, response: { 201: StaffUserView, ...errors } },
    preHandler: requireStaff('admin'),
  }, async (req, reply) => {
    const row = await createStaff(db, { ...req.body, actorStaffId: req.staff!.id })
    return reply.code(201).send(staffUserView(row))
  })

  app.patch('/staff/users/:id', {
    schema: { tags, summary: 'Edit, disable, enable or unlock a staff account (admin)', params: StaffIdParams, body: UpdateStaffBody, response: { 200: StaffUserView, ...errors } },
    preHandler: requireStaff('admin'),
  }, async (req) => updateStaff(db, req.staff!, req.params.id, req.body))

  // ---------------------------------------------------------------- the caller's queue
  app.get('/staff/reports', {
    schema: { tags, summary: "The caller's queue, filtered, sorted (oldest first unless asked) and paged", querystring: StaffReportsQuery, response: { 200: StaffReportsPage, ...errors } },
    preHandler: requireStaff(...queueRoles),
  }, async (req) => listStaffReports(db, req.staff!, req.query))

  app.get('/staff/reports/:ref', {
    schema: { tags, summary: 'A report for staff: routing decision and full timeline with internal notes', params: ReportRefParams, response: { 200: StaffReportDetail, ...errors } },
    preHandler: requireStaff(...queueRoles),
  }, async (req) => staffReportDetail(db, req.staff!, req.params.ref))

  app.get('/staff/reports/:ref/contact', {
    schema: { tags, summary: "A named reporter's contact data: the zone's officers and the assignee only; every view is audited", params: ReportRefParams, response: { 200: ContactReply, ...errors } },
    preHandler: requireStaff(),
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store')
    return staffReportContact(db, req.staff!, req.params.ref)
  })
}
