import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Static, TSchema } from 'typebox'
import { Type } from 'typebox'
import { CategoriesReply } from '@nabij/shared/api/categories'
import { ErrorReply } from '@nabij/shared/api/errors'
import { FollowUpView, ReceiptSessionBody, ReceiptSessionReply, ReplyBody, TimelineItem } from '@nabij/shared/api/followup'
import { CreateReportBody, CreateReportReply } from '@nabij/shared/api/reports'
import type { ModuleOptions } from '../../app.js'
import { photoPool } from '../photos/pool.js'
import { photoRoutes } from '../photos/routes.js'
import { processUploads } from '../photos/service.js'
import { photoStorage } from '../photos/storage-factory.js'
import { listCategories } from './categories.js'
import { followUpView, openReceiptSession, postReply } from './followup.js'
import { idempotencyClaim, replayOf } from './idempotency.js'
import { multipartLimits, readSubmission } from './multipart.js'
import { residentReportOf } from './resident-token.js'
import { checkReport, fileReport } from './service.js'

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorReply]))

/** A multipart form's JSON field is checked by the same compiled schema (and the same error shape) as a JSON body. */
function validated<T extends TSchema>(req: FastifyRequest, schema: T, value: unknown): Static<T> {
  const validate = req.compileValidationSchema(schema as object)
  if (!validate(value)) throw Object.assign(new Error('body validation failed'), { statusCode: 400, validation: validate.errors ?? [], validationContext: 'body' })
  return value as Static<T>
}

const bearer = Type.Object({ authorization: Type.Optional(Type.String({ description: 'Bearer <resident token>' })) })

/** Residents' side: categories, intake, the receipt session and the follow-up; also mounts the photo route. */
export const reportRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { config, db } = options
  const storage = photoStorage(config)
  const pool = photoPool()
  await app.register(multipart, { limits: multipartLimits })
  // In memory only: the client address keys the counter and is never stored or logged.
  await app.register(rateLimit, { global: false })
  await app.register(photoRoutes, { config, database: options.database, db, storage })

  app.get('/categories', {
    schema: { tags: ['reports'], summary: 'Report categories with labels, help texts and who receives each', response: { 200: CategoriesReply } },
  }, async (req) => listCategories(req.language))

  app.post('/reports', {
    schema: {
      tags: ['reports'],
      summary: 'File a report, anonymously or with contact details',
      description: 'JSON, or multipart/form-data with the same object as JSON in the field `report` and up to five photos (JPEG, PNG, WebP, HEIC; 15 MB each). '
        + 'The receipt code is in this answer only. With an Idempotency-Key header a retried submission gets the first answer instead of a second report.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200 })) }),
      body: { content: { 'application/json': { schema: CreateReportBody } } },
      response: { 201: CreateReportReply, ...errors(400, 409, 413, 415, 422, 503) },
    },
  }, async (req, reply) => {
    const { json, uploads } = req.isMultipart() ? await readSubmission(req, 'report', { jsonRequired: true }) : { json: req.body, uploads: [] }
    const body = validated(req, CreateReportBody, json)
    const input = { ...body, language: body.language ?? req.language }
    checkReport(input) // refuse a bad form before spending seconds on its photos
    const key = req.headers['idempotency-key']
    const claim = typeof key === 'string' ? idempotencyClaim(config, key, input, uploads) : undefined
    const replay = claim ? await replayOf(db, claim) : null
    if (replay) return reply.code(201).header('idempotent-replayed', 'true').send(replay)
    const photos = await processUploads(pool, uploads)
    return reply.code(201).send(await fileReport(db, input, photos, { config, storage, ...(claim ? { idempotency: claim } : {}) }))
  })

  app.post('/receipt/session', {
    config: { rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => req.ip ?? 'none' } },
    schema: {
      tags: ['follow-up'],
      summary: 'Exchange a receipt code for a short-lived resident token',
      body: ReceiptSessionBody,
      response: { 200: ReceiptSessionReply, ...errors(400, 401, 429) },
    },
  }, async (req) => openReceiptSession(db, config, req.body.code))

  app.get('/followup', {
    schema: {
      tags: ['follow-up'],
      summary: "The reporter's view of their report: status and timeline in the reader's language",
      headers: bearer,
      response: { 200: FollowUpView, ...errors(401, 404) },
    },
  }, async (req) => followUpView(db, residentReportOf(config, req.headers.authorization), req.language))

  app.post('/followup/replies', {
    schema: {
      tags: ['follow-up'],
      summary: 'Reply to the officers, with text and/or photos',
      description: 'JSON, or multipart/form-data with the same object as JSON in the field `reply` (optional) and up to five photos.',
      headers: bearer,
      body: { content: { 'application/json': { schema: ReplyBody } } },
      response: { 201: TimelineItem, ...errors(400, 401, 404, 413, 415, 422, 503) },
    },
  }, async (req, reply) => {
    const reportId = residentReportOf(config, req.headers.authorization)
    const { json, uploads } = req.isMultipart() ? await readSubmission(req, 'reply', { jsonRequired: false }) : { json: req.body, uploads: [] }
    const body = validated(req, ReplyBody, json ?? {})
    const photos = await processUploads(pool, uploads)
    return reply.code(201).send(await postReply(db, reportId, { ...body, language: body.language ?? req.language }, photos, { storage }))
  })
}
