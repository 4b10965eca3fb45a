import fastifyWebsocket from '@fastify/websocket'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Server } from 'node:http'
import type { RawData } from 'ws'
import { Type } from 'typebox'
import { Value } from 'typebox/value'
import { ErrorCode } from '@nabij/shared/api/errors'
import { ClientMessage, liveCloseCodes, type SubscribeMessage } from '@nabij/shared/api/live'
import type { ModuleOptions } from '../../app.js'
import type { Config } from '../../config.js'
import { translator } from '../../i18n.js'
import { verifyResidentToken } from '../reports/resident-token.js'
import { sequencerOf } from './events.js'
import { Hub, type HubOptions, type LiveClient, type Principal } from './hub.js'
import { findReportForLive, zoneExists } from './service.js'
import { staffCanSeeReport } from '../staff/access.js'

const hubs = new WeakMap<Server, Hub>()

/** The live hub of an app (tests and benches reach it through the shared HTTP server object). */
export function liveHubOf(app: FastifyInstance): Hub {
  const hub = hubs.get(app.server)
  if (!hub) throw new Error('realtime module not registered')
  return hub
}

const maxSubscriptions = 50

/**
 * A cookie sent by a page of another site must not open a staff channel (cross-site websocket hijacking): the
 * browser sends cookies with any websocket handshake, but always names the page's origin.
 */
function sameOrigin(req: FastifyRequest, config: Config): boolean {
  const origin = req.headers.origin
  if (!origin) return true
  if (origin === new URL(config.publicUrl).origin) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

/** GET /api/live: the websocket of api/live.ts (protocol documented there). */
export const realtimeRoutes: FastifyPluginAsyncTypebox<ModuleOptions & { live?: HubOptions }> = async (app, { config, database, db, live }) => {
  const hub = new Hub(database, { ...live, onError: (err) => app.log.warn({ err }, 'event feed read failed') })
  await hub.start()
  hubs.set(app.server, hub)
  // Numbers events after their commit; its sweep also numbers those an instance killed mid-way left behind.
  const sequencer = sequencerOf(db)
  sequencer.start(live?.pollMs || 5_000, {
    // Under a burst, rounds at most every 20 ms on PostgreSQL: each round costs the database a transaction with NOTIFY
    // and each instance's feed a read, so wider rounds leave more to the requests (intake with announcing vs without,
    // same script: 0.80 at 2 ms, 0.86 at 20 ms). PGlite runs every query on this one thread and its rounds cost more
    // (0.83 at 40 ms, 0.91 at 100 ms); it is the one-instance embedded database, where 100 ms more under a burst is
    // the better trade. An event after a quiet moment is numbered at once.
    minIntervalMs: database.kind === 'pglite' ? 100 : 20,
    onError: (err) => app.log.warn({ err }, 'event sequencing failed; the next sweep retries'),
  })
  app.addHook('onClose', async () => {
    hubs.delete(app.server)
    await sequencer.stop()
    await hub.stop()
  })

  await app.register(fastifyWebsocket, { options: { maxPayload: 16 * 1024, perMessageDeflate: false } })

  app.get('/live', {
    websocket: true,
    schema: {
      tags: ['public'],
      summary: 'Live events over a websocket (see shared/src/api/live.ts for the protocol)',
      querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 512 })), lang: Type.Optional(Type.String()) }),
    },
  }, (socket, req) => {
    let principal: Principal = { kind: 'public' }
    const token = (req.query as { token?: string }).token
    if (req.staff && sameOrigin(req, config)) principal = { kind: 'staff', staff: req.staff }
    else if (token) {
      const reportId = verifyResidentToken(config, token)
      if (reportId === null) {
        socket.send(JSON.stringify(errorMessage(req.language, ErrorCode.ResidentTokenInvalid)))
        socket.close(liveCloseCodes.unauthorised, 'token invalid')
        return
      }
      principal = { kind: 'resident', reportId, stillValid: () => verifyResidentToken(config, token) === reportId }
    }
    const client = hub.add(socket, principal, req.language)
    hub.send(client, { type: 'welcome', as: principal.kind, lastEventId: hub.head })

    // Messages of one socket are handled one after the other, so a backfill finishes before the next subscribe.
    // Nothing here keeps `req`: ten thousand idle sockets must not hold ten thousand requests.
    let chain = Promise.resolve()
    socket.on('message', (raw: RawData, isBinary: boolean) => {
      chain = chain.then(() => handle(client, raw, isBinary)).catch((err) => {
        app.log.warn({ err }, 'live message failed')
        hub.send(client, errorMessage(client.language, ErrorCode.Internal))
      })
    })
  })

  async function handle(client: LiveClient, raw: RawData, isBinary: boolean): Promise<void> {
    let message: unknown
    try {
      message = isBinary ? undefined : JSON.parse(raw.toString())
    } catch {
      message = undefined
    }
    if (!Value.Check(ClientMessage, message)) {
      hub.send(client, errorMessage(client.language, ErrorCode.ValidationFailed))
      return
    }
    switch (message.type) {
      case 'ping':
        hub.send(client, { type: 'pong' })
        return
      case 'auth': {
        const reportId = client.principal.kind === 'public' && client.subs.size === 0 ? verifyResidentToken(config, message.token) : null
        if (reportId === null) {
          hub.send(client, errorMessage(client.language, ErrorCode.ResidentTokenInvalid))
          return
        }
        const token = message.token
        client.principal = { kind: 'resident', reportId, stillValid: () => verifyResidentToken(config, token) === reportId }
        hub.send(client, { type: 'welcome', as: 'resident', lastEventId: hub.head })
        return
      }
      case 'unsubscribe':
        hub.unsubscribe(client, `${message.channel}:${message.id ?? ''}`)
        return
      case 'subscribe':
        await subscribe(client, message)
    }
  }

  // A reconnect storm (after a deploy, thousands of residents at once) asks about the same few zones again and again.
  const zonesSeen = new Map<number, number>()
  async function knownZone(zoneId: number): Promise<boolean> {
    const until = zonesSeen.get(zoneId)
    if (until !== undefined && until > Date.now()) return true
    if (!(await zoneExists(db, zoneId))) return false
    if (zonesSeen.size > 10_000) zonesSeen.clear()
    zonesSeen.set(zoneId, Date.now() + 60_000)
    return true
  }

  async function subscribe(client: LiveClient, message: SubscribeMessage): Promise<void> {
    const refuse = (code: ErrorCode): void => { hub.send(client, errorMessage(client.language, code, message)) }
    if (client.subs.size >= maxSubscriptions) return refuse(ErrorCode.RateLimited)
    const key = `${message.channel}:${message.id ?? ''}`
    const principal = client.principal
    const base = { key, channel: message.channel, id: message.id }
    if (message.channel === 'zone') {
      const zoneId = typeof message.id === 'number' ? message.id : Number(message.id)
      // Zone ids are PostgreSQL integers: anything larger names no zone and must not reach the database.
      if (!Number.isInteger(zoneId) || zoneId < 1 || zoneId > 2_147_483_647) return refuse(ErrorCode.ValidationFailed)
      if (!(await knownZone(zoneId))) return refuse(ErrorCode.ZoneNotFound)
      return hub.subscribe(client, { ...base, zoneId, audience: 'public' }, message.lastEventId)
    }
    if (message.channel === 'queue') {
      if (principal.kind !== 'staff') return refuse(ErrorCode.Unauthenticated)
      return hub.subscribe(client, { ...base, audience: 'staff' }, message.lastEventId)
    }
    if (principal.kind === 'public') return refuse(ErrorCode.Unauthenticated)
    if (principal.kind === 'resident') {
      if (message.id !== undefined) {
        const named = await findReportForLive(db, message.id)
        // Another report looks like no report: a token names one report and cannot probe the others.
        if (named?.id !== principal.reportId) return refuse(ErrorCode.ReportNotFound)
      }
      return hub.subscribe(client, { ...base, reportId: principal.reportId, audience: 'reporter' }, message.lastEventId)
    }
    if (message.id === undefined) return refuse(ErrorCode.ValidationFailed)
    const report = await findReportForLive(db, message.id)
    if (!report || !(await staffCanSeeReport(db, principal.staff, report))) return refuse(ErrorCode.ReportNotFound)
    return hub.subscribe(client, { ...base, reportId: report.id, audience: 'staff' }, message.lastEventId)
  }
}

function errorMessage(language: Parameters<typeof translator>[0], code: ErrorCode, about?: Pick<SubscribeMessage, 'channel' | 'id'>) {
  return {
    type: 'error' as const,
    code,
    message: translator(language)(`errors.${code}`),
    ...(about ? { channel: about.channel, ...(about.id !== undefined ? { id: about.id } : {}) } : {}),
  }
}
