import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { ReportsExportQuery, ZoneIdParams } from '@nabij/shared/api/stats'
import type { ModuleOptions } from '../../app.js'
import { requireStaff } from '../../plugins/auth.js'
import { exportZoneReports } from './service.js'

/** GET /api/staff/zones/:id/reports.csv: the anonymised, streamed export of a zone's reports. */
export const exportRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db }) => {
  app.get('/staff/zones/:id/reports.csv', {
    schema: {
      tags: ['staff'],
      summary: "Anonymised CSV of a zone's reports (officers of the zone, admins): no free text, no contact data",
      params: ZoneIdParams,
      querystring: ReportsExportQuery,
      produces: ['text/csv'],
      // A stream is never serialised; the schema documents the body and types `send`.
      response: { 200: Type.Unsafe<Readable>({ type: 'string', description: 'text/csv, UTF-8, CRLF line ends' }), 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply },
    },
    preHandler: requireStaff('officer', 'admin'),
  }, async (req, reply) => {
    const chunks = await exportZoneReports(db, req.staff!, req.params.id, req.query)
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="zone-${req.params.id}-reports.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(chunks))
  })
}
