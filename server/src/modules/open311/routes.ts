import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static, type TSchema } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { Id } from '@nabij/shared/api/ids'
import {
  CodeParams, CreatedOpen311Client, CreateOpen311ClientBody, FormatParams, IdParams, Open311Client, Open311Errors, PostRequestBody, PostRequestReply,
  RequestsQuery, Service, ServiceDefinition, ServiceRequests, TokenReply, type Format,
} from '@nabij/shared/api/open311'
import { ErrorCode } from '@nabij/shared/api/errors'
import type { ModuleOptions } from '../../app.js'
import { stableCode } from '../../app.js'
import { requireStaff } from '../../plugins/auth.js'
import { xmlDocument, type XmlValue } from '../feeds/xml.js'
import { photoStorage } from '../photos/storage-factory.js'
import { createClient, getRequest, listClients, listRequests, listServices, postRequest, revokeClient, serviceDefinition, tokenLookup } from './service.js'

const tags = ['open311']
const errors = { 400: Open311Errors, 403: Open311Errors, 404: Open311Errors }
/** The schema serialises JSON (and drops undeclared fields); an XML reply is a string built below. */
const either = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | string>(schema)

/** GeoReport v2 wraps each list in a plural element holding one element per item. */
const wrappers = {
  services: ['services', 'service'],
  requests: ['service_requests', 'request'],
  errors: ['errors', 'error'],
} as const

function send(reply: FastifyReply, format: Format, kind: keyof typeof wrappers, items: object[]) {
  if (format === 'json') return reply.send(items)
  const [outer, inner] = wrappers[kind]
  return reply.header('content-type', 'text/xml; charset=utf-8').send(xmlDocument({ [outer]: { [inner]: items as XmlValue[] } }))
}

const formatOf = (req: FastifyRequest): Format => ((req.params as { format?: string } | undefined)?.format === 'xml' ? 'xml' : 'json')

/** GeoReport v2 under /open311/v2, plus the admin's client keys under /api/staff/open311-clients. */
export const open311Routes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, deps) => {
  await app.register(geoReport, { ...deps, prefix: '/open311/v2' })
  await app.register(clientAdmin, { ...deps, prefix: '/api' })
}

const geoReport: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db, config }) => {
  const storage = photoStorage(config)

  // The specification posts requests as form fields.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))))
  })

  // Open311 clients expect [{ code, description }] (the HTTP status as code), in the format they asked for.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500
    if (status >= 500) req.log.error({ err }, 'open311 request failed')
    const code = status >= 500 ? ErrorCode.Internal : stableCode(err)
    const description = req.t(`errors.${code}`, { defaultValue: status >= 500 ? '' : err.message })
    reply.code(status >= 500 ? 500 : status)
    return send(reply, formatOf(req), 'errors', [{ code: status >= 500 ? 500 : status, description }])
  })
  // An unknown path under /open311/v2 (or a parameter no route can match) is a GeoReport error too, not our JSON.
  app.setNotFoundHandler((req, reply) => {
    reply.code(404)
    return send(reply, /\.xml(\?|$)/.test(req.url) ? 'xml' : 'json', 'errors', [{ code: 404, description: req.t(`errors.${ErrorCode.NotFound}`) }])
  })

  app.get('/services.:format', {
    schema: { tags, summary: 'Service list: one service per report category', params: FormatParams, response: { 200: either(Type.Array(Service)), ...errors } },
  }, async (req, reply) => send(reply, req.params.format, 'services', listServices(req.language)))

  app.get('/services/:code.:format', {
    schema: { tags, summary: 'Service definition (no extra attributes)', params: CodeParams, response: { 200: either(ServiceDefinition), ...errors } },
  }, async (req, reply) => {
    const definition = serviceDefinition(req.params.code)
    if (req.params.format === 'json') return reply.send(definition)
    return reply.header('content-type', 'text/xml; charset=utf-8')
      .send(xmlDocument({ service_definition: { service_code: definition.service_code, attributes: { attribute: [] } } }))
  })

  app.get('/requests.:format', {
    schema: {
      tags,
      summary: 'Published requests, filtered by service_code, status, start_date, end_date (public projection only)',
      params: FormatParams,
      querystring: RequestsQuery,
      response: { 200: either(ServiceRequests), ...errors },
    },
  }, async (req, reply) => send(reply, req.params.format, 'requests', await listRequests(db, config, req.query, req.language)))

  app.get('/requests/:id.:format', {
    schema: { tags, summary: 'One published request', params: IdParams, response: { 200: either(ServiceRequests), ...errors } },
  }, async (req, reply) => send(reply, req.params.format, 'requests', await getRequest(db, config, req.params.id, req.language)))

  app.post('/requests.:format', {
    schema: {
      tags,
      summary: 'File a report through the same intake as the web form (api_key required); anonymous unless contact data is given',
      params: FormatParams,
      body: PostRequestBody,
      response: { 201: either(PostRequestReply), ...errors },
    },
  }, async (req, reply) => {
    const created = await postRequest(db, { config, storage }, req.body, req.language)
    return send(reply.code(201), req.params.format, 'requests', created)
  })

  app.get('/tokens/:id.:format', {
    schema: { tags, summary: 'The request id behind a token from POST requests', params: IdParams, response: { 200: either(TokenReply), ...errors } },
  }, async (req, reply) => send(reply, req.params.format, 'requests', await tokenLookup(db, req.params.id)))
}

const clientAdmin: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db }) => {
  const adminErrors = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply }
  const admin = requireStaff('admin')

  app.get('/staff/open311-clients', {
    schema: { tags: ['staff'], summary: 'Open311 clients allowed to post requests (admin)', response: { 200: Type.Array(Open311Client), ...adminErrors } },
    preHandler: admin,
  }, async () => listClients(db))

  app.post('/staff/open311-clients', {
    schema: { tags: ['staff'], summary: 'Create a client and its API key, shown once (admin)', body: CreateOpen311ClientBody, response: { 201: CreatedOpen311Client, ...adminErrors } },
    preHandler: admin,
  }, async (req, reply) => reply.code(201).send(await createClient(db, req.staff!, req.body.name)))

  app.delete('/staff/open311-clients/:id', {
    schema: { tags: ['staff'], summary: 'Revoke a client key (admin)', params: Type.Object({ id: Id() }), response: { 204: Type.Null(), ...adminErrors } },
    preHandler: admin,
  }, async (req, reply) => {
    await revokeClient(db, req.staff!, req.params.id)
    return reply.code(204).send(null)
  })
}
