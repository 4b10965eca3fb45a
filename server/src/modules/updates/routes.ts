import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { Id } from '@nabij/shared/api/ids'
import {
  NeighbourhoodPost, PostBody, PostList, PostListQuery, PostPatchBody, PostUpdateBody, StaffTimelineItem, StaffTimelineReply, TranslateBody,
  TranslateReply, TranslateStatusReply, TranslationsBody, UpdateParams, ZonePostItemParams, ZonePostParams,
} from '@nabij/shared/api/updates'
import { ReportRefParams } from '@nabij/shared/api/workflow'
import type { ModuleOptions } from '../../app.js'
import { NotFound, ValidationFailed } from '../../errors.js'
import { requireStaff } from '../../plugins/auth.js'
import { photoPool } from '../photos/pool.js'
import { processUploads } from '../photos/service.js'
import { photoStorage } from '../photos/storage-factory.js'
import { multipartLimits, readSubmission } from '../reports/multipart.js'
import { workRoles } from '../workflow/service.js'
import { OutboxWorker, smtpTransport } from './mailer.js'
import { createPost, editPost, listPosts, listStaffPosts, publicPostPhoto, storePostPhoto, withdrawPost } from './posts.js'
import { postUpdate, setTranslations, staffTimeline } from './service.js'
import { suggestTranslations } from './translate.js'

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorReply]))
const staffTags = ['staff']

/**
 * Officers' updates on a report (/api/staff/reports/:ref/updates…), suggested translations (/api/staff/translate),
 * neighbourhood posts (/api/staff/zones/:id/posts…, public feed /api/public/zones/:id/posts), and the mail worker
 * that tells consenting named reporters.
 */
export const updateRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { config, db }) => {
  const worker = config.smtpUrl
    ? new OutboxWorker(db, config, smtpTransport(config.smtpUrl), 5_000, (err) => app.log.warn({ err }, 'outbox delivery failed'))
    : null
  worker?.start()
  app.addHook('onClose', async () => { await worker?.stop() })
  const storage = photoStorage(config)
  const pool = photoPool()
  await app.register(multipart, { limits: { ...multipartLimits, files: 1 } })

  app.get('/staff/reports/:ref/updates', {
    schema: { tags: staffTags, summary: 'The whole timeline of a report for staff, internal notes included', params: ReportRefParams, response: { 200: StaffTimelineReply, ...errors(401, 403, 404) } },
    preHandler: requireStaff(),
  }, async (req) => staffTimeline(db, req.staff!, req.params.ref))

  app.post('/staff/reports/:ref/updates', {
    schema: {
      tags: staffTags,
      summary: 'Post an update: canned or free text; public, for the reporter only, or an internal note; or ask the reporter a question',
      params: ReportRefParams,
      body: PostUpdateBody,
      response: { 201: StaffTimelineItem, ...errors(400, 401, 403, 404, 409) },
    },
    preHandler: requireStaff(...workRoles),
  }, async (req, reply) => {
    const item = await postUpdate(db, req.staff!, req.params.ref, req.body)
    void worker?.kick()
    return reply.code(201).send(item)
  })

  app.put('/staff/reports/:ref/updates/:updateId/translations', {
    schema: {
      tags: staffTags,
      summary: "Add or replace the officer's translations of a free-text update",
      params: UpdateParams,
      body: TranslationsBody,
      response: { 200: StaffTimelineItem, ...errors(400, 401, 403, 404) },
    },
    preHandler: requireStaff(...workRoles),
  }, async (req) => setTranslations(db, req.staff!, req.params.ref, req.params.updateId, req.body.translations))

  app.get('/staff/translate', {
    schema: { tags: staffTags, summary: 'Whether suggested translations are available', response: { 200: TranslateStatusReply, ...errors(401) } },
    preHandler: requireStaff(),
  }, async () => ({ available: config.translateUrl !== undefined }))

  app.post('/staff/translate', {
    schema: {
      tags: staffTags,
      summary: 'Suggest translations of a text (a configured LibreTranslate-compatible server); the officer keeps what is right',
      body: TranslateBody,
      response: { 200: TranslateReply, ...errors(400, 401, 403, 503) },
    },
    preHandler: requireStaff(...workRoles),
  }, async (req) => ({ translations: await suggestTranslations(config, req.body) }))

  // ---------------------------------------------------------------- neighbourhood posts

  app.get('/public/zones/:id/posts', {
    schema: { tags: ['public'], summary: "A neighbourhood's posts, newest first (live: the zone channel of /api/live)", params: ZonePostParams, querystring: PostListQuery, response: { 200: PostList, ...errors(400, 404) } },
  }, async (req) => listPosts(db, req.params.id, req.query, false))

  app.get('/public/zones/:id/posts/:postId/photo/:variant', {
    schema: {
      tags: ['public'],
      summary: "A published post's photo (2048 px `full` or 400 px `thumb` WebP)",
      params: Type.Object({ id: Id(), postId: Id(), variant: Type.Enum(['full', 'thumb']) }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errors(404) },
    },
  }, async (req, reply) => {
    const key = await publicPostPhoto(db, req.params.id, req.params.postId, req.params.variant)
    const data = key ? await storage.get(key) : null
    if (!data) throw new NotFound()
    return reply.type('image/webp').header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(data)
  })

  app.get('/staff/zones/:id/posts', {
    schema: { tags: staffTags, summary: "A zone's posts for its officers, withdrawn ones included", params: ZonePostParams, querystring: PostListQuery, response: { 200: PostList, ...errors(400, 401, 403, 404) } },
    preHandler: requireStaff('officer', 'admin'),
  }, async (req) => listStaffPosts(db, req.staff!, req.params.id, req.query))

  app.post('/staff/zones/:id/posts/photos', {
    schema: {
      tags: staffTags,
      summary: 'Upload the photo of a post to come (multipart, one file in `photo`); processed like every photo',
      params: ZonePostParams,
      response: { 201: Type.Object({ photoId: Type.String({ format: 'uuid' }) }), ...errors(400, 401, 403, 404, 413, 415, 422, 503) },
    },
    preHandler: requireStaff('officer', 'admin'),
  }, async (req, reply) => {
    if (!req.isMultipart()) throw new ValidationFailed('multipart/form-data expected')
    const { uploads } = await readSubmission(req, 'post', { jsonRequired: false })
    if (uploads.length !== 1) throw new ValidationFailed('one photo expected')
    const [processed] = await processUploads(pool, uploads)
    return reply.code(201).send(await storePostPhoto(db, req.staff!, req.params.id, storage, processed!))
  })

  app.post('/staff/zones/:id/posts', {
    schema: { tags: staffTags, summary: 'Publish a post for the neighbourhood', params: ZonePostParams, body: PostBody, response: { 201: NeighbourhoodPost, ...errors(400, 401, 403, 404) } },
    preHandler: requireStaff('officer', 'admin'),
  }, async (req, reply) => reply.code(201).send(await createPost(db, req.staff!, req.params.id, req.body)))

  app.patch('/staff/zones/:id/posts/:postId', {
    schema: { tags: staffTags, summary: 'Edit a published post', params: ZonePostItemParams, body: PostPatchBody, response: { 200: NeighbourhoodPost, ...errors(400, 401, 403, 404) } },
    preHandler: requireStaff('officer', 'admin'),
  }, async (req) => editPost(db, req.staff!, req.params.id, req.params.postId, req.body))

  app.post('/staff/zones/:id/posts/:postId/withdraw', {
    schema: { tags: staffTags, summary: 'Withdraw a post from the public feed', params: ZonePostItemParams, response: { 200: NeighbourhoodPost, ...errors(401, 403, 404) } },
    preHandler: requireStaff('officer', 'admin'),
  }, async (req) => withdrawPost(db, req.staff!, req.params.id, req.params.postId))
}
