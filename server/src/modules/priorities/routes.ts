import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import {
  BallotBody, BallotReply, BallotTokenReply, CommitBody, PostIdParams, PostPriorityBody, ProposalsQuery, ProposalsReply, PublicRound, PublicRoundList,
  RoundIdParams, RoundInput, StaffRound, ZonePriorities,
} from '@nabij/shared/api/priorities'
import { ZoneIdParams } from '@nabij/shared/api/stats'
import type { ModuleOptions } from '../../app.js'
import { requireStaff } from '../../plugins/auth.js'
import { newBallotToken } from './ballots.js'
import {
  castBallot, commitPriorities, createRound, linkPostToPriority, proposals, publicRound, publicZoneRounds, staffRound, staffZoneRounds, updateRound,
  zonePriorities,
} from './service.js'

const errors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply }
const publicTags = ['public']
const staffTags = ['staff']

/** Neighbourhood priority rounds: staff open and commit, residents rank anonymously, everyone sees the outcome. */
export const priorityRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db, config }) => {
  // ------------------------------------------------------------ public
  app.get('/public/zones/:id/priority-rounds', {
    schema: { tags: publicTags, summary: "A zone's priority rounds, newest first; results once a round has closed", params: ZoneIdParams, response: { 200: PublicRoundList, ...errors } },
  }, async (req) => publicZoneRounds(db, req.params.id))

  app.get('/public/priority-rounds/:id', {
    schema: { tags: publicTags, summary: 'One priority round', params: RoundIdParams, response: { 200: PublicRound, ...errors } },
  }, async (req) => publicRound(db, req.params.id))

  app.post('/public/ballot-tokens', {
    schema: { tags: publicTags, summary: 'A signed token for this browser: one ballot per round, identifying nobody', response: { 201: BallotTokenReply } },
  }, async (_req, reply) => reply.code(201).send({ token: newBallotToken(config.sessionSecret) }))

  app.post('/public/priority-rounds/:id/ballots', {
    schema: {
      tags: publicTags,
      summary: 'Rank the candidates of an open round, with a receipt code or a ballot token',
      params: RoundIdParams,
      body: BallotBody,
      response: { 201: BallotReply, ...errors },
    },
  }, async (req, reply) => reply.code(201).send(await castBallot(db, config, req.params.id, req.body)))

  app.get('/public/zones/:id/priorities', {
    schema: { tags: publicTags, summary: 'You said — we did: committed priorities and the posts reporting on them', params: ZoneIdParams, response: { 200: ZonePriorities, ...errors } },
  }, async (req) => zonePriorities(db, req.params.id))

  // ------------------------------------------------------------ staff
  const zoneStaff = requireStaff('officer', 'admin')

  app.get('/staff/zones/:id/priority-proposals', {
    schema: { tags: staffTags, summary: 'Drafts from the most reported categories and places', params: ZoneIdParams, querystring: ProposalsQuery, response: { 200: ProposalsReply, ...errors } },
    preHandler: zoneStaff,
  }, async (req) => proposals(db, req.staff!, req.params.id, req.query.months, req.t))

  app.get('/staff/zones/:id/priority-rounds', {
    schema: { tags: staffTags, summary: "A zone's rounds with running counts", params: ZoneIdParams, response: { 200: Type.Array(StaffRound), ...errors } },
    preHandler: zoneStaff,
  }, async (req) => staffZoneRounds(db, req.staff!, req.params.id))

  app.post('/staff/zones/:id/priority-rounds', {
    schema: { tags: staffTags, summary: 'Open a priority round', params: ZoneIdParams, body: RoundInput, response: { 201: StaffRound, ...errors } },
    preHandler: zoneStaff,
  }, async (req, reply) => reply.code(201).send(await createRound(db, req.staff!, req.params.id, req.body)))

  app.get('/staff/priority-rounds/:id', {
    schema: { tags: staffTags, summary: 'One round with its running count', params: RoundIdParams, response: { 200: StaffRound, ...errors } },
    preHandler: zoneStaff,
  }, async (req) => staffRound(db, req.staff!, req.params.id))

  app.put('/staff/priority-rounds/:id', {
    schema: { tags: staffTags, summary: 'Edit a round and its candidates, until the first ballot', params: RoundIdParams, body: RoundInput, response: { 200: StaffRound, ...errors } },
    preHandler: zoneStaff,
  }, async (req) => updateRound(db, req.staff!, req.params.id, req.body))

  app.put('/staff/priority-rounds/:id/commitments', {
    schema: { tags: staffTags, summary: 'After the round: the candidates the team commits to, in order', params: RoundIdParams, body: CommitBody, response: { 200: StaffRound, ...errors } },
    preHandler: zoneStaff,
  }, async (req) => commitPriorities(db, req.staff!, req.params.id, req.body))

  app.put('/staff/neighbourhood-posts/:id/priority', {
    schema: {
      tags: staffTags,
      summary: 'Link a neighbourhood post to a committed priority of its zone (null unlinks)',
      params: PostIdParams,
      body: PostPriorityBody,
      response: { 200: Type.Object({ postId: Type.Integer(), priorityId: Type.Union([Type.Integer(), Type.Null()]) }), ...errors },
    },
    preHandler: zoneStaff,
  }, async (req) => linkPostToPriority(db, req.staff!, req.params.id, req.body.priorityId))
}
