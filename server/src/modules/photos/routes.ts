import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import type { ModuleOptions } from '../../app.js'
import { NotFound, Unauthenticated } from '../../errors.js'
import { residentReportOf } from '../reports/resident-token.js'
import { findPhoto } from './service.js'
import type { PhotoStorage } from './storage.js'

type FoundPhoto = NonNullable<Awaited<ReturnType<typeof findPhoto>>>

/** Who is asking. For now only the reporter, by resident token; staff access is added here by the staff modules. */
type Viewer = { kind: 'reporter'; reportId: number }

function viewerOf(req: FastifyRequest, options: ModuleOptions): Viewer {
  if (/^Bearer\s/i.test(req.headers.authorization ?? '')) return { kind: 'reporter', reportId: residentReportOf(options.config, req.headers.authorization) }
  throw new Unauthenticated()
}

/**
 * The reporter sees their own report's photos and those attached to updates they may read (never internal ones).
 * A refusal looks like absence (404), so photo ids cannot be probed.
 */
function mayView(viewer: Viewer, photo: FoundPhoto): boolean {
  return photo.reportId === viewer.reportId && (photo.updateId === null || photo.visibility === 'public' || photo.visibility === 'reporter')
}

export const photoRoutes: FastifyPluginAsyncTypebox<ModuleOptions & { storage: PhotoStorage }> = async (app, options) => {
  const { db, storage } = options
  app.get('/photos/:id/:variant', {
    schema: {
      tags: ['follow-up'],
      summary: "A photo's processed WebP (2048 px `full` or 400 px `thumb`), for those allowed to see it",
      params: Type.Object({ id: Type.String({ format: 'uuid' }), variant: Type.Enum(['full', 'thumb']) }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 401: ErrorReply, 404: ErrorReply },
    },
  }, async (req, reply) => {
    const viewer = viewerOf(req, options)
    const photo = await findPhoto(db, req.params.id)
    if (!photo || !mayView(viewer, photo)) throw new NotFound()
    const data = await storage.get(req.params.variant === 'full' ? photo.storageKey : photo.thumbKey)
    if (!data) throw new NotFound()
    return reply.type('image/webp').header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(data)
  })
}
