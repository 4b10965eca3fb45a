import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { DiagnosisQuery, DiagnosisReply, StaffDiagnosisQuery, ZoneIdParams, ZoneStatsQuery, ZoneStatsReply } from '@nabij/shared/api/stats'
import type { ModuleOptions } from '../../app.js'
import { requireStaff } from '../../plugins/auth.js'
import { diagnosis } from './diagnosis.js'
import { staffDiagnosis } from './access.js'
import { zoneStats } from './service.js'

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply }

/** Accountability figures: /api/public/zones/:id/stats and the safety diagnosis, public and for staff. */
export const statsRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db }) => {
  app.get('/public/zones/:id/stats', {
    schema: {
      tags: ['public'],
      summary: 'Response figures of a zone per month; figures resting on 1–4 reports are suppressed',
      params: ZoneIdParams,
      querystring: ZoneStatsQuery,
      response: { 200: ZoneStatsReply, ...errors },
    },
  }, async (req) => zoneStats(db, req.params.id, req.query))

  app.get('/public/zones/:id/diagnosis', {
    schema: {
      tags: ['public'],
      summary: 'Reports per ~250 m cell, category and period in a zone; small counts suppressed',
      params: ZoneIdParams,
      querystring: DiagnosisQuery,
      response: { 200: DiagnosisReply, ...errors },
    },
  }, async (req) => diagnosis(db, req.params.id, req.query, { threshold: 5 }))

  app.get('/staff/diagnosis', {
    schema: {
      tags: ['staff'],
      summary: 'Neighbourhood safety diagnosis with exact counts (officers of the zone, partners, oversight, admins)',
      querystring: StaffDiagnosisQuery,
      response: { 200: DiagnosisReply, ...errors },
    },
    preHandler: requireStaff('officer', 'partner', 'oversight', 'admin'),
  }, async (req) => staffDiagnosis(db, req.staff!, req.query))
}
