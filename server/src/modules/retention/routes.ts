import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { FollowUpView } from '@nabij/shared/api/followup'
import type { ModuleOptions } from '../../app.js'
import { photoStorage } from '../photos/storage-factory.js'
import { followUpView } from '../reports/followup.js'
import { residentReportOf } from '../reports/resident-token.js'
import { startRetentionJob } from './job.js'
import { eraseReportContent } from './service.js'

export const defaultRetentionIntervalMs = 60 * 60 * 1000

/**
 * Data minimisation: the hourly retention job (contact data after closing, photos of rejected reports) and the
 * reporter's own erasure of their report's content (DELETE /api/followup with the resident token).
 */
export const retentionRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { config, db }) => {
  const storage = photoStorage(config)
  const job = startRetentionJob(db, storage, {
    contactDays: config.retentionContactDays ?? 90,
    rejectedPhotoDays: config.retentionRejectedPhotoDays ?? 30,
  }, config.retentionIntervalMs ?? defaultRetentionIntervalMs, app.log)
  app.addHook('onClose', async () => job.stop())

  app.delete('/followup', {
    schema: {
      tags: ['follow-up'],
      summary: "Erase the report's private content: description, address, photos and replies (the figures stay)",
      description: 'Needs the resident token of the receipt session. Category, zone, status and times are kept, so the zone figures still count the report; '
        + 'the description is replaced by a neutral marker and the location generalised to its ~250 m cell. Answers the follow-up as it now is.',
      headers: Type.Object({ authorization: Type.Optional(Type.String({ description: 'Bearer <resident token>' })) }),
      response: { 200: FollowUpView, 401: ErrorReply, 404: ErrorReply },
    },
  }, async (req) => {
    const reportId = residentReportOf(config, req.headers.authorization)
    await eraseReportContent(db, storage, reportId)
    return followUpView(db, reportId, req.language)
  })
}
