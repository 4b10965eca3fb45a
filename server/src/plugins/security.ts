import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import AjvCompiler from '@fastify/ajv-compiler'
import helmet from 'helmet'
import type { FastifyError, FastifyHttpOptions, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { ErrorCode } from '@nabij/shared/api/errors'
import { isLanguage, pickLanguage, type Language } from '@nabij/shared/domain/languages'
import type { Config } from '../config.js'
import { translator } from '../i18n.js'
import { xmlDocument } from '../modules/feeds/xml.js'

/** Slow-client limits. A client trickling its headers or body is cut off; an idle keep-alive socket is closed. */
export interface HttpTimeouts {
  /** All request headers must have arrived within this (slowloris). */
  headersMs: number
  /** The whole request, body included: photo uploads from a phone on a weak connection need their time. */
  requestMs: number
  /** A socket with no traffic at all for this long is closed. */
  idleMs: number
  /**
   * Between two requests on one keep-alive connection. Longer than the reverse proxy keeps an idle upstream
   * connection (deploy/Caddyfile: 60 s), or the proxy may send a request on a socket we are closing.
   */
  keepAliveMs: number
}

export const defaultTimeouts: HttpTimeouts = { headersMs: 15_000, requestMs: 120_000, idleMs: 90_000, keepAliveMs: 72_000 }

/** The largest JSON body any route takes unless it declares its own (zone GeoJSON imports do). */
export const maxBodyBytes = 1024 * 1024
/** No request body, however small its route's schema, is refused under this. */
const minBodyBytes = 4 * 1024

/**
 * Options for the Fastify constructor: timeouts, the framework's own errors in our shape, and a validator that also
 * refuses what the schemas let through but the database cannot take: U+0000 in a string (PostgreSQL text cannot hold
 * it) and non-finite numbers (ajv coerces "1e999" in a path or query to Infinity and then skips its range checks).
 * Either would reach a query and fail there as a 500; here it is the 400 VALIDATION_FAILED of any other bad value.
 */
export function serverOptions(config: Config): FastifyHttpOptions<Server> {
  const timeouts = { ...defaultTimeouts, ...config.timeouts }
  return {
    bodyLimit: maxBodyBytes,
    connectionTimeout: timeouts.idleMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node checks the header and request deadlines on this interval; the default (30 s) would double a short deadline.
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(timeouts.headersMs / 2))) },
    frameworkErrors,
    clientErrorHandler,
    schemaController: { compilersFactory: { buildValidator: storableValidator() } },
  }
}

// ------------------------------------------------------------------------------------------------ validation

/** The path of the first string (or object key) holding U+0000 or the first non-finite number, or null. */
export function unstorablePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (typeof value === 'number') return Number.isFinite(value) ? null : path
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], `${path}/${i}`)
      if (found !== null) return found
    }
    return null
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return `${path}/${key.replaceAll('\u0000', '')}`
      const found = unstorablePath(item, `${path}/${key}`)
      if (found !== null) return found
    }
  }
  return null
}

function storableValidator(): ReturnType<typeof AjvCompiler> {
  const build = AjvCompiler()
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options)
    return (route) => {
      const validate = compile(route)
      const checked = (data: unknown): boolean => {
        if (!validate(data)) {
          checked.errors = validate.errors
          return false
        }
        const path = unstorablePath(data)
        checked.errors = path === null ? null : [{ keyword: 'storable', instancePath: path, schemaPath: '#', params: {}, message: 'must be a finite number or a string without U+0000' }]
        return path === null
      }
      checked.errors = null as typeof validate.errors
      return Object.assign(checked, { schema: validate.schema, schemaEnv: validate.schemaEnv }) as unknown as typeof validate
    }
  }
}

// ------------------------------------------------------------------------------------------------ framework errors

function askedLanguage(url: string, acceptLanguage: string | undefined): Language {
  let asked: string | null = null
  try {
    asked = new URL(url, 'http://localhost').searchParams.get('lang')
  } catch {
    // an unparseable URL asks for nothing
  }
  return isLanguage(asked) ? asked : pickLanguage(acceptLanguage)
}

/**
 * Errors the router raises before any route or hook runs (a malformed URL, a path segment over 100 characters): the
 * request language is not known yet, so it is read here, and Open311 clients get their own error format.
 */
function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400
  const url = req.raw.url ?? '/'
  const message = translator(askedLanguage(url, req.headers['accept-language']))(`errors.${ErrorCode.ValidationFailed}`)
  if (url.startsWith('/open311/')) {
    const errors = [{ code: status, description: message }]
    if (/\.xml(\?|$)/.test(url)) {
      void reply.code(status).header('content-type', 'text/xml; charset=utf-8').send(xmlDocument({ errors: { error: errors } }))
    } else {
      void reply.code(status).send(errors)
    }
    return
  }
  void reply.code(status).send({ code: ErrorCode.ValidationFailed, message })
}

/** Errors on the raw connection (a timed-out or malformed request): answered in our shape, then the socket closes. */
function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, reason, code] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'Request Timeout', ErrorCode.RequestTimeout]
    : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', ErrorCode.ValidationFailed] : [400, 'Bad Request', ErrorCode.ValidationFailed]
  // Nothing of the request can be trusted, its language included: the default language answers.
  const body = JSON.stringify({ code, message: translator('nl')(`errors.${code}`) })
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy()
}

// ------------------------------------------------------------------------------------------------ body limits

interface JsonSchema {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  maxItems?: number
  maxLength?: number
  format?: string
  pattern?: string
  content?: Record<string, { schema: JsonSchema }>
}

/** Bytes per character in the worst case: JSON.stringify writes a control character as \u00XX. */
const bytesPerCharacter = 6
const boundedFormats: Record<string, number> = { uuid: 36, date: 10, 'date-time': 40, email: 254 }

/** A pattern without an open-ended repetition (`*`, `+`, `{n,}`) matches strings of bounded length; a loose bound. */
function patternBound(pattern: string | undefined): number | undefined {
  if (!pattern || /[*+]|\{\d*,\}/.test(pattern)) return undefined
  return pattern.length + [...pattern.matchAll(/\{(?:\d+,)?(\d+)\}/g)].reduce((sum, m) => sum + Number(m[1]), 0)
}

/**
 * The most bytes a compact JSON value valid under `schema` can take, or Infinity when the schema sets no bound.
 * Undeclared properties do not count: they are what a limit is for.
 */
export function maxJsonBytes(schema: JsonSchema): number {
  if (schema.const !== undefined) return JSON.stringify(schema.const).length
  if (schema.enum) return Math.max(...schema.enum.map((v) => JSON.stringify(v).length))
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) return Math.max(...alternatives.map(maxJsonBytes))
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []
  if (types.length === 0) return Infinity
  return Math.max(...types.map((type) => {
    switch (type) {
      case 'string': {
        const length = schema.maxLength ?? (schema.format ? boundedFormats[schema.format] : undefined) ?? patternBound(schema.pattern)
        return length === undefined ? Infinity : 2 + length * bytesPerCharacter
      }
      case 'array':
        return schema.maxItems === undefined || !schema.items ? Infinity : 2 + schema.maxItems * (maxJsonBytes(schema.items) + 1)
      case 'object':
        return 2 + Object.entries(schema.properties ?? {}).reduce((sum, [key, value]) => sum + key.length + 4 + maxJsonBytes(value), 0)
      default:
        return 32
    }
  }))
}

/** A route's body limit from its own schema: the largest valid body and some room for whitespace. */
export function bodyLimitFor(route: Pick<RouteOptions, 'schema'>): number | undefined {
  const body = route.schema?.body as JsonSchema | undefined
  if (!body) return minBodyBytes
  const schema = body.content ? body.content['application/json']?.schema : body
  const bytes = schema ? maxJsonBytes(schema) : Infinity
  if (!Number.isFinite(bytes)) return undefined
  return Math.min(maxBodyBytes, Math.max(minBodyBytes, Math.ceil((bytes * 1.1 + 1024) / 1024) * 1024))
}

// ------------------------------------------------------------------------------------------------ headers

/** An origin the CSP may name for a raster tile URL template (`https://{s}.tile.example/{z}/{x}/{y}.png`). */
export function tileSource(template: string | undefined): string | null {
  const match = template ? /^(https?):\/\/([^/?#]+)/i.exec(template) : null
  if (!match) return null
  const host = match[2]!.replace(/^\{[a-z]+\}\./i, '*.')
  // A placeholder elsewhere in the host cannot be written as a CSP source: allow the scheme's tile hosts instead.
  return /[{}]/.test(host) ? `${match[1]}:` : `${match[1]}://${host}`
}

export function contentSecurityPolicy(config: Config): Record<string, string[]> {
  const tiles = tileSource(config.mapTileUrl)
  const secure = config.publicUrl.startsWith('https://')
  const live = `${secure ? 'wss' : 'ws'}://${new URL(config.publicUrl).host}`
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // Styles come from files; Vue and Leaflet set positions through the style property, which CSP allows.
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
    // 'self' covers the websocket in current browsers; the explicit ws(s) origin serves older ones.
    'connect-src': ["'self'", live],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(secure ? { 'upgrade-insecure-requests': [] } : {}),
  }
}

/** Features the app never uses are switched off; the map may ask for the position on our own pages only. */
export const permissionsPolicy = [
  'geolocation=(self)', 'camera=()', 'microphone=()', 'payment=()', 'usb=()', 'serial=()', 'bluetooth=()', 'hid=()', 'midi=()',
  'magnetometer=()', 'gyroscope=()', 'accelerometer=()', 'display-capture=()', 'browsing-topics=()',
].join(', ')

/**
 * Security headers on every answer (helmet, with a strict CSP for the web app), and a body limit per route derived
 * from its schema. Registered before the modules, so its onRoute hook sees every route. helmet's middleware is built
 * once here: @fastify/helmet built it, CSP parsing included, on every request (a few per cent of the intake's time).
 */
export const securityPlugin = fp<{ config: Config }>(async (app, { config }) => {
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit !== undefined) return
    const limit = bodyLimitFor(route)
    if (limit !== undefined) route.bodyLimit = limit
  })
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.publicUrl.startsWith('https://') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  })
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('permissions-policy', permissionsPolicy)
    headers(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined))
  })
}, { name: 'security' })
