import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { BigId } from '@nabij/shared/api/ids'
import {
  AddFlagBody, MergeBody, ModerationPhoto, ModerationQueue, ModerationQueueQuery, ModerationReply, ModerationReport, RedactionBody,
  ReplyDecisionBody, ReportDecisionBody,
} from '@nabij/shared/api/moderation'
import { notifyChannel } from '@nabij/shared/domain/events'
import type { ModuleOptions } from '../../app.js'
import { keepListening } from '../../db/keep-listening.js'
import { requireStaff } from '../../plugins/auth.js'
import { photoStorage } from '../photos/storage-factory.js'
import { flagPending } from './flag-service.js'
import {
  addFlag, decideReply, decideReport, mergeReport, moderationPhotoBytes, moderationQueue, moderationReplyOf, moderationReport, redactPhoto, removeFlag,
} from './service.js'

const ReportParams = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 64 }) })
const ReplyParams = Type.Object({ id: BigId() })
const PhotoParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const FlagParams = Type.Object({ id: BigId() })
const writeErrors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply }
const readErrors = { 401: ErrorReply, 403: ErrorReply, 404: ErrorReply }

/** How often flagging runs without a notification: a safety net for a missed NOTIFY or a restart mid-drain. */
const sweepMs = 60_000
/** How long a notification waits for others before the drain it starts. */
const notifyDelayMs = 100

/**
 * Bench only: stops notifications from starting a drain (the sweep still runs), so a bench can compare intake with
 * and without the event announcement while flagging costs the same in both. Production never touches it.
 */
export const flaggingOnNotify = { enabled: true }

/**
 * Flags new reports and replies soon after intake commits: every event notification starts a drain (one at a time
 * per instance; a notification during a drain asks for one more). Flagging never holds up intake or routing.
 */
function startFlagging(options: ModuleOptions, log: { warn(obj: unknown, msg: string): void }) {
  let running: Promise<void> | null = null
  let again = false
  let stopped = false
  const drain = (): Promise<void> => {
    if (stopped) return Promise.resolve()
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        try {
          await flagPending(options.db, 25, () => stopped)
        } catch (err) {
          if (!stopped) log.warn({ err }, 'moderation flagging failed; will retry')
        }
      } while (again && !stopped)
    })().finally(() => { running = null })
    return running
  }
  const timer = setInterval(() => void drain(), sweepMs)
  timer.unref()
  // Notifications come in bursts under load: gathering them for a moment flags a burst in a few full batches.
  let soon: NodeJS.Timeout | null = null
  const drainSoon = () => {
    soon ??= setTimeout(() => {
      soon = null
      void drain()
    }, notifyDelayMs)
  }
  // A lost LISTEN connection is opened again by itself; the drain after it flags what was filed meanwhile.
  const listening = keepListening(options.database, notifyChannel, () => { if (flaggingOnNotify.enabled) drainSoon() }, {
    onReconnect: () => void drain(),
    onError: (err) => log.warn({ err }, 'moderation could not listen for new reports; will retry'),
  })
  void drain()
  return {
    drain,
    async stop() {
      stopped = true
      clearInterval(timer)
      if (soon) clearTimeout(soon)
      await listening.stop()
      await running
    },
  }
}

export const moderationRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, options) => {
  const { db, config } = options
  const storage = photoStorage(config)
  const flagging = startFlagging(options, app.log)
  app.addHook('onClose', async () => flagging.stop())

  const guard = requireStaff('moderator', 'admin')
  const tags = ['moderation']

  app.get('/staff/moderation/queue', {
    preHandler: guard,
    schema: {
      tags,
      summary: 'Pending reports and resident replies with their automatic flags, most flagged and newest first',
      querystring: ModerationQueueQuery,
      response: { 200: ModerationQueue, ...readErrors },
    },
  }, async (req) => {
    // Whatever intake committed a moment ago is flagged before the moderator sees it.
    await flagging.drain()
    return moderationQueue(db, req.query)
  })

  app.get('/staff/moderation/reports/:ref', {
    preHandler: guard,
    schema: { tags, summary: 'One report as moderators see it (never contact data)', params: ReportParams, response: { 200: ModerationReport, ...readErrors } },
  }, async (req) => moderationReport(db, req.params.ref))

  app.post('/staff/moderation/reports/:ref/decision', {
    preHandler: guard,
    schema: {
      tags,
      summary: 'Publish a summary or the original, keep private, or reject as spam or abuse',
      params: ReportParams,
      body: ReportDecisionBody,
      response: { 200: ModerationReport, ...writeErrors },
    },
  }, async (req) => decideReport(db, req.staff!, req.params.ref, req.body))

  app.post('/staff/moderation/reports/:ref/merge', {
    preHandler: guard,
    schema: {
      tags,
      summary: 'Merge this report into another as its duplicate; both reporters follow the survivor',
      params: ReportParams,
      body: MergeBody,
      response: { 200: ModerationReport, ...writeErrors },
    },
  }, async (req) => mergeReport(db, req.staff!, req.params.ref, req.body))

  app.post('/staff/moderation/reports/:ref/flags', {
    preHandler: guard,
    schema: {
      tags,
      summary: "Flag a passage of the report's description by hand (a name, hate speech, a threat the automatic checks missed)",
      params: ReportParams,
      body: AddFlagBody,
      response: { 201: ModerationReport, ...writeErrors, 422: ErrorReply },
    },
  }, async (req, reply) => {
    await addFlag(db, req.staff!, { reference: req.params.ref }, req.body)
    return reply.code(201).send(await moderationReport(db, req.params.ref))
  })

  app.delete('/staff/moderation/flags/:id', {
    preHandler: guard,
    schema: { tags, summary: 'Remove a flag a moderator set by hand (automatic flags stay)', params: FlagParams, response: { 204: Type.Null(), ...writeErrors } },
  }, async (req, reply) => {
    await removeFlag(db, req.staff!, req.params.id)
    return reply.code(204).send(null)
  })

  app.get('/staff/moderation/replies/:id', {
    preHandler: guard,
    schema: { tags, summary: "One resident reply with its flags", params: ReplyParams, response: { 200: ModerationReply, ...readErrors } },
  }, async (req) => moderationReplyOf(db, req.params.id))

  app.post('/staff/moderation/replies/:id/decision', {
    preHandler: guard,
    schema: {
      tags,
      summary: "Accept a resident's reply (it stays with the officers) or reject it as spam or abuse",
      params: ReplyParams,
      body: ReplyDecisionBody,
      response: { 200: ModerationReply, ...writeErrors },
    },
  }, async (req) => decideReply(db, req.staff!, req.params.id, req.body.decision, req.body.reason))

  app.post('/staff/moderation/replies/:id/flags', {
    preHandler: guard,
    schema: {
      tags,
      summary: "Flag a passage of a resident's reply by hand",
      params: ReplyParams,
      body: AddFlagBody,
      response: { 201: ModerationReply, ...writeErrors, 422: ErrorReply },
    },
  }, async (req, reply) => {
    await addFlag(db, req.staff!, { updateId: req.params.id }, req.body)
    return reply.code(201).send(await moderationReplyOf(db, req.params.id))
  })

  app.post('/staff/moderation/photos/:id/redaction', {
    preHandler: guard,
    schema: {
      tags,
      summary: 'Blur rectangles (faces, plates, house numbers) into the public derivative; an empty list confirms the photo as is',
      params: PhotoParams,
      body: RedactionBody,
      response: { 200: ModerationPhoto, ...writeErrors, 503: ErrorReply },
    },
  }, async (req) => redactPhoto(db, storage, req.staff!, req.params.id, req.body.rectangles))

  app.get('/staff/moderation/photos/:id/:variant', {
    preHandler: guard,
    schema: {
      tags,
      summary: 'A photo for moderators: the unredacted original or thumbnail, or the confirmed public derivative',
      params: Type.Object({ id: Type.String({ format: 'uuid' }), variant: Type.Enum(['full', 'thumb', 'redacted', 'redacted_thumb']) }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...readErrors },
    },
  }, async (req, reply) => {
    const data = await moderationPhotoBytes(db, storage, req.params.id, req.params.variant)
    return reply.type('image/webp').header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').send(data)
  })
}
