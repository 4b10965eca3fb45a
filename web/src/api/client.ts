import type { ErrorReply } from '@nabij/shared/api/errors'

/** An error answered by the API: `code` is stable (branch on it), `message` arrives translated by the server. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorReply['details'] = undefined,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** The route itself does not exist (yet): pages show an empty state instead of an error. */
  get routeMissing(): boolean {
    return this.status === 404 && this.code === 'NOT_FOUND'
  }
}

/** The network failed before any answer: nothing is known about the server's state. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause })
    this.name = 'NetworkError'
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Record<string, string | number | undefined>
  /** A plain object is sent as JSON; FormData as multipart. */
  body?: unknown
  token?: string
  headers?: Record<string, string>
  signal?: AbortSignal
}

let language = 'nl'

/** The API answers errors in this language (Accept-Language); set by the language switcher. */
export function setApiLanguage(code: string): void {
  language = code
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(`/api${path}`, location.origin)
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value))
  }
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language, ...options.headers }
  let body: BodyInit | undefined
  if (options.body instanceof FormData) {
    body = options.body // the browser sets the multipart boundary
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`

  let response: Response
  try {
    response = await fetch(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      signal: options.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new NetworkError(err)
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  const json: unknown = text ? safeParse(text) : undefined
  if (!response.ok) {
    const reply = (json ?? {}) as Partial<ErrorReply>
    throw new ApiError(response.status, reply.code ?? 'INTERNAL', reply.message ?? response.statusText, reply.details)
  }
  return json as T
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** For optional parts of a page: a route that does not exist yet reads as "nothing to show". */
export async function orEmpty<T>(promise: Promise<T>, empty: T): Promise<T> {
  try {
    return await promise
  } catch (err) {
    if (err instanceof ApiError && (err.routeMissing || err.status === 501)) return empty
    throw err
  }
}

/** A binary resource behind a bearer token (photos of one's own report). */
export async function requestBlob(path: string, token: string, signal?: AbortSignal): Promise<Blob> {
  let response: Response
  try {
    response = await fetch(new URL(path, location.origin), { headers: { authorization: `Bearer ${token}` }, signal, cache: 'no-store' })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err
    throw new NetworkError(err)
  }
  if (!response.ok) throw new ApiError(response.status, response.status === 401 ? 'UNAUTHENTICATED' : 'NOT_FOUND', response.statusText)
  return response.blob()
}
