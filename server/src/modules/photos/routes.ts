import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import type { ModuleOptions } from '../../app.js'
import type { Db } from '../../db/connect.js'
import { reports } from '../../db/schema.js'
import type { StaffPrincipal } from '../../plugins/auth.js'
import { NotFound, Unauthenticated } from '../../errors.js'
import { residentReportOf } from '../reports/resident-token.js'
import { staffCanSeeReport } from '../staff/access.js'
import { findPhoto } from './service.js'
import type { PhotoStorage } from './storage.js'

type FoundPhoto = NonNullable<Awaited<ReturnType<typeof findPhoto>>>

/** Who is asking: the reporter, by resident token, or a staff member, by session cookie. */
type Viewer = { kind: 'reporter'; reportId: number } | { kind: 'staff'; staff: StaffPrincipal }

function viewerOf(req: FastifyRequest, options: ModuleOptions): Viewer {
  if (/^Bearer\s/i.test(req.headers.authorization ?? '')) return { kind: 'reporter', reportId: residentReportOf(options.config, req.headers.authorization) }
  if (req.staff) return { kind: 'staff', staff: req.staff }
  throw new Unauthenticated()
}

/**
 * The reporter sees their own report's photos and those attached to updates they may read (never internal ones);
 * staff see every photo of a report they may see (staff/access.ts decides). A refusal looks like absence (404), so
 * photo ids cannot be probed.
 */
async function mayView(db: Db, viewer: Viewer, photo: FoundPhoto): Promise<boolean> {
  if (viewer.kind === 'staff') {
    if (photo.reportId === null) return false
    const [report] = await db.select({ zoneId: reports.zoneId, queue: reports.queue, assignedStaffId: reports.assignedStaffId }).from(reports).where(eq(reports.id, photo.reportId))
    return report !== undefined && staffCanSeeReport(db, viewer.staff, report)
  }
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
    if (!photo || !(await mayView(db, viewer, photo))) throw new NotFound()
    const data = await storage.get(req.params.variant === 'full' ? photo.storageKey : photo.thumbKey)
    if (!data) throw new NotFound()
    return reply.type('image/webp').header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(data)
  })
}
