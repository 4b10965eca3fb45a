import rateLimit from '@fastify/rate-limit'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import {
  ContactReply, CreateStaffBody, LoginBody, ReportRefParams, StaffReportDetail, StaffReportsPage, StaffReportsQuery, PasswordChangeBody, SessionReply, StaffIdParams, StaffList, StaffUserView, TotpDisableBody,
  TotpEnableBody, TotpSetupReply, UpdateStaffBody,
} from '@nabij/shared/api/staff'
import type { ModuleOptions } from '../../app.js'
import { requireStaff, sessionCookieName, sessionCookieOptions } from '../../plugins/auth.js'
import { listStaffReports, staffReportContact, staffReportDetail } from './reports.js'
import { changePassword, createStaff, listStaff, login, logout, staffMe, staffUserView, totpDisable, totpEnable, totpSetup, updateStaff } from './service.js'

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 423: ErrorReply, 429: ErrorReply }
/** Against password spraying across accounts; the per-account lockout stops guessing one account. In memory only. */
export const loginRateLimit = { max: 30, timeWindow: 60_000 }
const tags = ['staff']

/** Sessions and accounts: /api/staff/session, /api/staff/me…, /api/staff/users… (admin). */
export const staffRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db, config }) => {
  await app.register(rateLimit, { global: false })

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
    schema: { tags, summary: "The caller's queue, filtered and paged (oldest first)", querystring: StaffReportsQuery, response: { 200: StaffReportsPage, ...errors } },
    preHandler: requireStaff(),
  }, async (req) => listStaffReports(db, req.staff!, req.query))

  app.get('/staff/reports/:ref', {
    schema: { tags, summary: 'A report for staff: routing decision and full timeline with internal notes', params: ReportRefParams, response: { 200: StaffReportDetail, ...errors } },
    preHandler: requireStaff(),
  }, async (req) => staffReportDetail(db, req.staff!, req.params.ref))

  app.get('/staff/reports/:ref/contact', {
    schema: { tags, summary: "A named reporter's contact data: the zone's officers and the assignee only; every view is audited", params: ReportRefParams, response: { 200: ContactReply, ...errors } },
    preHandler: requireStaff(),
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store')
    return staffReportContact(db, req.staff!, req.params.ref)
  })
}
