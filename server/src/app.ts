import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ErrorCode, errorCodes } from '@nabij/shared/api/errors'
import type { Config } from './config.js'
import { databaseUnavailable, type Database, type Db } from './db/connect.js'
import { auditRoutes } from './modules/audit/routes.js'
import { healthRoutes } from './modules/health/routes.js'
import { metaRoutes } from './modules/meta/routes.js'
import { moderationRoutes } from './modules/moderation/routes.js'
import { publicRoutes } from './modules/public/routes.js'
import { reportRoutes } from './modules/reports/routes.js'
import { staffRoutes } from './modules/staff/routes.js'
import { zoneRoutes } from './modules/zones/routes.js'
import { exportRoutes } from './modules/exports/routes.js'
import { priorityRoutes } from './modules/priorities/routes.js'
import { statsRoutes } from './modules/stats/routes.js'
import { realtimeRoutes } from './modules/realtime/routes.js'
import { retentionRoutes } from './modules/retention/routes.js'
import { updateRoutes } from './modules/updates/routes.js'
import { workflowRoutes } from './modules/workflow/routes.js'
import { feedRoutes } from './modules/feeds/routes.js'
import { open311Routes } from './modules/open311/routes.js'
import { authPlugin } from './plugins/auth.js'
import { languagePlugin } from './plugins/language.js'
import { securityPlugin, serverOptions } from './plugins/security.js'

/** What every capability module receives: its dependencies, passed explicitly rather than decorated. */
export interface ModuleOptions {
  config: Config
  database: Database
  db: Db
}

export const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))

/** Fastify's and its plugins' own error codes, mapped onto our stable codes. */
const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.BodyTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UnsupportedMediaType,
  FST_INVALID_MULTIPART_CONTENT_TYPE: ErrorCode.UnsupportedMediaType,
  FST_REQ_FILE_TOO_LARGE: ErrorCode.PhotoTooLarge,
  FST_FILES_LIMIT: ErrorCode.TooManyPhotos,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.ValidationFailed,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.ValidationFailed,
  FST_ERR_VALIDATION: ErrorCode.ValidationFailed,
}
const byStatus: Record<number, ErrorCode> = {
  404: ErrorCode.NotFound,
  413: ErrorCode.BodyTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  503: ErrorCode.ServiceUnavailable,
}

export function stableCode(err: Pick<FastifyError, 'code' | 'statusCode' | 'validation'>): ErrorCode {
  if (err.validation) return ErrorCode.ValidationFailed
  if ((errorCodes as string[]).includes(err.code)) return err.code as ErrorCode
  return frameworkCodes[err.code] ?? byStatus[err.statusCode ?? 400] ?? ErrorCode.ValidationFailed
}

export async function buildApp(config: Config, database: Database): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // Residents' anonymity: no IP address, port, host or user agent ever reaches the log.
      serializers: {
        req: (req) => ({ id: req.id, method: req.method, url: req.url?.split('?')[0] }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      redact: ['req.headers', 'req.remoteAddress', 'req.remotePort', 'req.ip', 'ip'],
    },
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    ...serverOptions(config),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  await app.register(languagePlugin)
  await app.register(securityPlugin, { config })
  await app.register(authPlugin, { db: database.db, config })

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500
    if (status >= 500 && status !== 503 && databaseUnavailable(err)) {
      // A restart or failover of PostgreSQL: retryable, and /readyz already tells the proxy. (A 503 of ours, such as
      // STORAGE_UNAVAILABLE wrapping a refused socket, keeps its own code.)
      req.log.warn({ err }, 'database unavailable')
      return reply.code(503).header('retry-after', '5').send({ code: ErrorCode.ServiceUnavailable, message: req.t('errors.SERVICE_UNAVAILABLE') })
    }
    if (status >= 500 && status !== 503) {
      req.log.error({ err }, 'request failed')
      return reply.code(500).send({ code: ErrorCode.Internal, message: req.t('errors.INTERNAL') })
    }
    const code = stableCode(err)
    const details = err.validation?.map((v) => ({ path: v.instancePath || String(v.params?.missingProperty ?? ''), message: v.message ?? '' }))
    return reply.code(status).send({ code, message: req.t(`errors.${code}`, { defaultValue: err.message }), ...(details ? { details } : {}) })
  })

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Nabij API', version: '0.1.0', description: 'Citizen–police reporting for community policing' },
      tags: [{ name: 'health' }, { name: 'reports' }, { name: 'follow-up' }, { name: 'zones' }, { name: 'staff' }, { name: 'public' }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })

  const deps: ModuleOptions = { config, database, db: database.db }
  // Capability modules, one line each; each is encapsulated and receives its dependencies.
  await app.register(healthRoutes, deps)
  await app.register(staffRoutes, { ...deps, prefix: '/api' })
  await app.register(zoneRoutes, { ...deps, prefix: '/api' })
  await app.register(auditRoutes, { ...deps, prefix: '/api' })
  await app.register(metaRoutes, { ...deps, prefix: '/api' })
  await app.register(moderationRoutes, { ...deps, prefix: '/api' })
  await app.register(publicRoutes, { ...deps, prefix: '/api' })
  await app.register(reportRoutes, { ...deps, prefix: '/api' })
  await app.register(statsRoutes, { ...deps, prefix: '/api' })
  await app.register(priorityRoutes, { ...deps, prefix: '/api' })
  await app.register(exportRoutes, { ...deps, prefix: '/api' })
  await app.register(workflowRoutes, { ...deps, prefix: '/api' })
  await app.register(updateRoutes, { ...deps, prefix: '/api' })
  await app.register(realtimeRoutes, { ...deps, prefix: '/api' })
  await app.register(feedRoutes, { ...deps, prefix: '/api' })
  await app.register(open311Routes, deps)
  await app.register(retentionRoutes, { ...deps, prefix: '/api' })

  await registerWeb(app)
  return app
}

/** Serves the built web app from the same port, with the SPA's history fallback; /api stays JSON. */
async function registerWeb(app: FastifyInstance): Promise<void> {
  const hasWeb = existsSync(webDist)
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false, maxAge: '1h', immutable: false })
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/'
    const wantsPage = req.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/open311/') && !/\.[a-z0-9]+$/i.test(path)
    if (hasWeb && wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html')
    return reply.code(404).send({ code: ErrorCode.NotFound, message: req.t('errors.NOT_FOUND') })
  })
}
