import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { AuditPage, AuditQuery } from '@nabij/shared/api/staff'
import type { ModuleOptions } from '../../app.js'
import { requireStaff } from '../../plugins/auth.js'
import { queryAudit } from './query.js'

/** GET /api/staff/audit: who read which contact data, changed which state, took which admin action, and when. */
export const auditRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db }) => {
  app.get('/staff/audit', {
    schema: {
      tags: ['staff'],
      summary: 'Query the audit log by report, staff member, action and time range (admin)',
      querystring: AuditQuery,
      response: { 200: AuditPage, 400: ErrorReply, 401: ErrorReply, 403: ErrorReply },
    },
    preHandler: requireStaff('admin'),
  }, async (req) => queryAudit(db, req.query))
}
