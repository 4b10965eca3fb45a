import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ErrorCode, ErrorReply } from '@nabij/shared/api/errors'
import { HandoverIdParams, HandoverList, HandoverNoteBody, HandoverNoteView } from '@nabij/shared/api/staff'
import {
  AdminZone, AdminZoneList, AssignmentParams, AssignOfficerBody, HandoverBody, HandoverReply, ImportZonesBody, ImportZonesReply, LocateQuery,
  LocateReply, PoliceZone, PoliceZoneBody, PoliceZoneList, PublicZoneList, RoutingRuleBody, RoutingRuleList, RoutingRuleView, RuleIdParams,
  UpdateZoneBody, ZoneDetail, ZoneHistoryList, ZoneIdParams, ZoneOfficerList, ZonesQuery, ZoneSummaryList,
} from '@nabij/shared/api/zones'
import type { ModuleOptions } from '../../app.js'
import { requireStaff } from '../../plugins/auth.js'
import { getHandover, listHandovers, markHandoverSeen, writeHandoverNote } from './handover-notes.js'
import { assignOfficer, endAssignment, handOver, listZoneOfficers } from './officers.js'
import { createRule, disableRule, listRules, updateRule } from './rules.js'
import {
  importZones, listAdminZones, listPoliceZones, listPublicZones, listZoneSummaries, updateZone, upsertPoliceZone, zoneDetail, zoneHistoryOf, zoneSummary,
  type GeojsonInvalidError,
} from './service.js'
import { locateZone } from './spatial-index.js'

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply }
const admin = requireStaff('admin')

/** GEOJSON_INVALID answers with every problem found, each naming its feature, so the file can be fixed at once. */
async function withGeojsonDetails<T>(req: FastifyRequest, reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await run()
  } catch (err) {
    const details = (err as Partial<GeojsonInvalidError>).details
    if ((err as { code?: string }).code !== ErrorCode.GeojsonInvalid || !details) throw err
    return reply.code(400).send({ code: ErrorCode.GeojsonInvalid, message: req.t(`errors.${ErrorCode.GeojsonInvalid}`), details })
  }
}

/** Zones (public outlines and lookup; admin import, edit, retire), officers, handover, routing rules. */
export const zoneRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db }) => {
  // ---------------------------------------------------------------- public
  app.get('/zones', {
    schema: { tags: ['zones'], summary: 'Active zones with their outlines (GeoJSON, WGS84)', querystring: ZonesQuery, response: { 200: Type.Union([PublicZoneList, ZoneSummaryList]), 400: ErrorReply } },
  }, async (req, reply) => {
    reply.header('cache-control', 'public, max-age=300')
    return req.query.geometry ? listPublicZones(db, req.query) : listZoneSummaries(db, req.query)
  })

  app.get('/zones/locate', {
    schema: { tags: ['zones'], summary: 'The zone containing a point, or null outside every zone', querystring: LocateQuery, response: { 200: LocateReply, 400: ErrorReply } },
  }, async (req) => {
    const hit = await locateZone(db, req.query)
    return { zone: hit ? await zoneSummary(db, hit.id) : null }
  })

  app.get('/zones/:id', {
    schema: { tags: ['zones'], summary: "A zone's public page data", params: ZoneIdParams, response: { 200: ZoneDetail, 404: ErrorReply } },
  }, async (req) => zoneDetail(db, req.params.id))

  app.get('/police-zones', {
    schema: { tags: ['zones'], summary: 'Police zones that group the neighbourhood zones', response: { 200: PoliceZoneList } },
  }, async () => listPoliceZones(db))

  // ---------------------------------------------------------------- admin: zones
  app.post('/police-zones', {
    schema: { tags: ['zones'], summary: 'Create or rename a police zone (admin)', body: PoliceZoneBody, response: { 200: PoliceZone, ...errors } },
    preHandler: admin,
  }, async (req) => upsertPoliceZone(db, req.staff!.id, req.body))

  app.get('/staff/zones', {
    schema: { tags: ['zones', 'staff'], summary: 'Every zone, retired ones included (admin)', response: { 200: AdminZoneList, ...errors } },
    preHandler: admin,
  }, async () => listAdminZones(db))

  app.post('/zones/import', {
    bodyLimit: 16 * 1024 * 1024,
    schema: { tags: ['zones'], summary: 'Import a GeoJSON FeatureCollection as zones (admin); known ids get a new version', body: ImportZonesBody, response: { 200: ImportZonesReply, ...errors } },
    preHandler: admin,
  }, async (req, reply) => withGeojsonDetails(req, reply, () => importZones(db, req.body.featureCollection, { ...req.body, actorStaffId: req.staff!.id })))

  app.patch('/zones/:id', {
    bodyLimit: 8 * 1024 * 1024,
    schema: { tags: ['zones'], summary: 'Edit, retire or restore a zone (admin); the history is kept', params: ZoneIdParams, body: UpdateZoneBody, response: { 200: AdminZone, ...errors } },
    preHandler: admin,
  }, async (req, reply) => withGeojsonDetails(req, reply, () => updateZone(db, req.staff!.id, req.params.id, req.body)))

  app.get('/zones/:id/history', {
    schema: { tags: ['zones'], summary: 'Every version of a zone (admin)', params: ZoneIdParams, response: { 200: ZoneHistoryList, ...errors } },
    preHandler: admin,
  }, async (req) => zoneHistoryOf(db, req.params.id))

  // ---------------------------------------------------------------- admin: officers and handover
  app.get('/zones/:id/officers', {
    schema: { tags: ['zones'], summary: "The zone's officer assignments, past and present (admin)", params: ZoneIdParams, response: { 200: ZoneOfficerList, ...errors } },
    preHandler: admin,
  }, async (req) => listZoneOfficers(db, req.params.id))

  app.post('/zones/:id/officers', {
    schema: { tags: ['zones'], summary: 'Assign an officer to the zone (admin)', params: ZoneIdParams, body: AssignOfficerBody, response: { 200: ZoneOfficerList, ...errors } },
    preHandler: admin,
  }, async (req) => assignOfficer(db, req.staff!.id, req.params.id, req.body))

  app.delete('/zones/:id/officers/:assignmentId', {
    schema: { tags: ['zones'], summary: 'End an assignment today (admin)', params: AssignmentParams, response: { 200: ZoneOfficerList, ...errors } },
    preHandler: admin,
  }, async (req) => endAssignment(db, req.staff!.id, req.params.id, req.params.assignmentId))

  app.post('/zones/:id/handover', {
    schema: {
      tags: ['zones'],
      summary: 'Hand the zone over to a successor (admin): open reports move, residents are told, the note waits for the successor',
      params: ZoneIdParams, body: HandoverBody, response: { 200: HandoverReply, ...errors },
    },
    preHandler: admin,
  }, async (req) => handOver(db, req.staff!.id, req.params.id, req.body))

  app.get('/staff/handovers', {
    schema: { tags: ['staff'], summary: 'Handovers the caller wrote or received (admin: all)', response: { 200: HandoverList, ...errors } },
    preHandler: requireStaff('officer', 'admin'),
  }, async (req) => listHandovers(db, req.staff!))

  app.get('/staff/handovers/:id', {
    schema: { tags: ['staff'], summary: 'One handover and its note', params: HandoverIdParams, response: { 200: HandoverNoteView, ...errors } },
    preHandler: requireStaff('officer', 'admin'),
  }, async (req) => getHandover(db, req.staff!, req.params.id))

  app.put('/staff/handovers/:id/note', {
    schema: { tags: ['staff'], summary: 'The outgoing officer writes the handover note', params: HandoverIdParams, body: HandoverNoteBody, response: { 200: HandoverNoteView, ...errors } },
    preHandler: requireStaff('officer'),
  }, async (req) => writeHandoverNote(db, req.staff!, req.params.id, req.body.note))

  app.post('/staff/handovers/:id/seen', {
    schema: { tags: ['staff'], summary: 'The successor marks the note as read', params: HandoverIdParams, response: { 200: HandoverNoteView, ...errors } },
    preHandler: requireStaff('officer'),
  }, async (req) => markHandoverSeen(db, req.staff!, req.params.id))

  // ---------------------------------------------------------------- admin: routing rules
  app.get('/routing-rules', {
    schema: { tags: ['zones'], summary: 'Routing rules in order; the first match wins (admin)', response: { 200: RoutingRuleList, ...errors } },
    preHandler: admin,
  }, async () => listRules(db))

  app.post('/routing-rules', {
    schema: { tags: ['zones'], summary: 'Add a routing rule (admin)', body: RoutingRuleBody, response: { 201: RoutingRuleView, ...errors } },
    preHandler: admin,
  }, async (req, reply) => reply.code(201).send(await createRule(db, req.staff!.id, req.body)))

  app.put('/routing-rules/:id', {
    schema: { tags: ['zones'], summary: 'Replace a routing rule (admin)', params: RuleIdParams, body: RoutingRuleBody, response: { 200: RoutingRuleView, ...errors } },
    preHandler: admin,
  }, async (req) => updateRule(db, req.staff!.id, req.params.id, req.body))

  app.delete('/routing-rules/:id', {
    schema: { tags: ['zones'], summary: 'Disable a routing rule (admin); reports keep naming it', params: RuleIdParams, response: { 200: RoutingRuleView, ...errors } },
    preHandler: admin,
  }, async (req) => disableRule(db, req.staff!.id, req.params.id))
}
