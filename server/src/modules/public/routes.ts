import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { PublicReport, PublicReportList, PublicReportsQuery } from '@nabij/shared/api/public'
import type { ModuleOptions } from '../../app.js'
import { photoStorage } from '../photos/storage-factory.js'
import { listPublicReports, publicPhoto, publicReport } from './service.js'

/** Anyone may read these; they carry nothing a moderator did not publish. */
export const publicRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db, config }) => {
  const storage = photoStorage(config)
  const tags = ['public']

  app.get('/public/reports', {
    schema: {
      tags,
      summary: 'Published reports, newest first, by zone, bounding box, category and status',
      querystring: PublicReportsQuery,
      response: { 200: PublicReportList, 400: ErrorReply },
    },
  }, async (req) => listPublicReports(db, req.query, req.language))

  app.get('/public/reports/:ref', {
    schema: {
      tags,
      summary: 'One published report with the officers’ public updates',
      params: Type.Object({ ref: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: PublicReport, 404: ErrorReply },
    },
  }, async (req) => publicReport(db, req.params.ref, req.language))

  const photoSchema = (summary: string) => ({
    tags,
    summary,
    params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
    response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 404: ErrorReply },
  })
  // A derivative's key changes with every redaction, but the URL does not: keep caches short.
  const headers = { 'content-type': 'image/webp', 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' }

  app.get('/public/photos/:id', { schema: photoSchema('The redacted photo of a published report') },
    async (req, reply) => reply.headers(headers).send(await publicPhoto(db, storage, req.params.id, 'full')))
  app.get('/public/photos/:id/thumb', { schema: photoSchema('Its 400 px thumbnail') },
    async (req, reply) => reply.headers(headers).send(await publicPhoto(db, storage, req.params.id, 'thumb')))
}
