import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { HealthReply, ReadyReply } from '@nabij/shared/api/health'
import type { ModuleOptions } from '../../app.js'

export const healthRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { database }) => {
  app.get('/healthz', {
    schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: HealthReply } },
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    schema: {
      tags: ['health'],
      summary: 'Readiness: the database answers',
      response: { 200: ReadyReply, 503: ReadyReply },
    },
  }, async (_req, reply) => {
    const ok = await database.ping()
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database: database.kind })
  })
}
