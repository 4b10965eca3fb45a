import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import { garbageString, valueFor, type Pools, type Schema } from './schema-arbitrary.js'

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  schema: Schema
}

export interface Operation {
  method: string
  /** OpenAPI path template, e.g. /api/zones/{id} */
  path: string
  parameters: Parameter[]
  body: Schema | null
  /** Staff-only operations run once unauthenticated and once per staff identity. */
  staff: boolean
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>
}

/** Every operation the live app documents. */
export function operationsOf(doc: OpenApi): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    parameters: op.parameters ?? [],
    body: op.requestBody?.content['application/json']?.schema ?? null,
    staff: /^\/api\/(staff|zones\/(import|\{id\}\/(history|officers|handover))|police-zones|routing-rules)/.test(path)
      || (path.startsWith('/api/zones/') && method !== 'get'),
  })))
}

export interface Identity {
  name: string
  cookie?: string
  csrfToken?: string
}

export interface Fuzzing {
  pools: Pools
  /** A valid `Authorization: Bearer …` value for a seeded report. */
  residentBearer: string
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/** What goes into a query string or a path segment: arrays repeat the key, objects travel as JSON. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** A URL carries UTF-8, which has no lone surrogates: they travel as U+FFFD, as a browser would send them. */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')

/** Header values are Latin-1 without control characters; anything else is refused by Node before it reaches us. */
const headerText = (value: unknown) => asText(value).replace(/[^\x20-\x7e]/g, '?').slice(0, 4000)

const rawBodies: fc.Arbitrary<{ payload: string | Buffer; contentType: string }> = fc.oneof(
  fc.constantFrom('', 'null', '{', '{"a":', '[]', '"text"', '1e999', '{"__proto__":{"admin":true}}', '\u0000', '\ufeff{}', '{}'.repeat(50))
    .map((payload) => ({ payload, contentType: 'application/json' })),
  fc.constant({ payload: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, contentType: 'application/json' }),
  fc.constant({ payload: `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`, contentType: 'application/json' }),
  fc.tuple(garbageString, fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'image/png', 'application/json; charset=utf-16', 'multipart/form-data', 'multipart/form-data; boundary=zzz', 'application/vnd.nabij+json', 'x'))
    .map(([payload, contentType]) => ({ payload, contentType })),
  fc.constant({ payload: Buffer.from('--zzz\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--zzz--\r\n', 'latin1'), contentType: 'multipart/form-data; boundary=zzz' }),
  fc.constant({ payload: Buffer.from('--zzz\r\nContent-Disposition: form-data; name="report"\r\n\r\n{"category":"drugs"}\r\n--zzz\r\nContent-Disposition: form-data; name="reply"\r\n\r\n{not json\r\n--zzz--\r\n'), contentType: 'multipart/form-data; boundary=zzz' }),
)

/** One request to `op` as `who`: path, query, headers and body drawn from the operation's own schemas. */
export function requestFor(op: Operation, who: Identity, fuzzing: Fuzzing): fc.Arbitrary<InjectOptions> {
  const { pools } = fuzzing
  const params = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where)
  const pick = (list: Parameter[]) => fc.record(
    Object.fromEntries(list.map((p) => [p.name, valueFor(p.schema, pools, 0, p.name)])),
    { requiredKeys: list.filter((p) => p.in === 'path' || p.required).map((p) => p.name) },
  ) as fc.Arbitrary<Record<string, unknown>>

  const path = pick(params('path'))
  // Now and then a parameter nobody declared, or a declared one twice with garbage.
  const extras = fc.oneof(
    { weight: 5, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('x', 'page', 'lang', 'zone', '__proto__', ''), garbageString, { maxKeys: 2 }) },
  )
  const query = fc.tuple(pick(params('query')), extras)
  const headers = pick(params('header').filter((p) => p.name !== 'authorization'))
  const authorization = fc.oneof(
    fc.constant(undefined),
    fc.constant(fuzzing.residentBearer),
    garbageString.map((s) => `Bearer ${s}`),
    garbageString,
  )
  const jsonBody = op.body ? valueFor(op.body, pools).map((value) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' })) : fc.constant(null)
  const body = safeMethods.has(op.method)
    ? fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: rawBodies })
    : fc.oneof({ weight: 12, arbitrary: jsonBody }, { weight: 2, arbitrary: rawBodies }, { weight: 1, arbitrary: fc.constant(null) })
  const csrf = fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })

  return fc.record({ path, query, headers, authorization, body, csrf }).map(({ path: p, query: [q, extra], headers: h, authorization: auth, body: b, csrf: withCsrf }) => {
    let url = op.path
    for (const [name, value] of Object.entries(p)) url = url.replace(`{${name}}`, encodeURIComponent(wellFormed(asText(value))))
    const search = new URLSearchParams()
    for (const [name, value] of [...Object.entries(extra), ...Object.entries(q)]) {
      if (name === 'lang') continue
      for (const item of Array.isArray(value) ? value : [value]) search.append(name, asText(item))
    }
    // Every answer must come in French, so its message can be compared with fr.json.
    search.set('lang', 'fr')
    const requestHeaders: Record<string, string> = {}
    for (const [name, value] of Object.entries(h)) requestHeaders[name] = headerText(value)
    if (auth !== undefined && op.parameters.some((x) => x.name === 'authorization')) requestHeaders.authorization = headerText(auth)
    if (who.cookie) requestHeaders.cookie = who.cookie
    if (who.csrfToken && withCsrf && !safeMethods.has(op.method)) requestHeaders['x-csrf-token'] = who.csrfToken
    if (b) requestHeaders['content-type'] = b.contentType
    return {
      method: op.method as InjectOptions['method'],
      url: `${url}?${search.toString()}`,
      headers: requestHeaders,
      ...(b ? { payload: b.payload } : {}),
    }
  })
}

/** A request in a form a person can paste into a reproduction (long payloads cut). */
export function describeRequest(req: InjectOptions): string {
  const payload = req.payload === undefined ? '' : String(req.payload)
  return `${req.method} ${req.url}\nheaders: ${JSON.stringify(req.headers)}\nbody (${payload.length} chars): ${payload.slice(0, 2000)}`
}
