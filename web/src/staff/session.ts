import type { SessionReply, StaffMe } from '@nabij/shared/api/staff'
import type { Role } from '@nabij/shared/domain/roles'
import { reactive, readonly } from 'vue'
import { ApiError, request, type RequestOptions } from '../api/client'

/**
 * The staff session as the browser knows it. The session itself is an HttpOnly cookie the page cannot read; what the
 * page keeps is who is signed in and the CSRF token it must repeat in `x-csrf-token` on every write.
 */
interface SessionState {
  me: StaffMe | null
  csrfToken: string
  expiresAt: string | null
  /** Why the last session ended, for the login page to say so. */
  ended: 'expired' | 'logged_out' | null
}

const state = reactive<SessionState>({ me: null, csrfToken: '', expiresAt: null, ended: null })
export const staffSession = readonly(state)

let checked: Promise<StaffMe | null> | undefined
let expiryTimer: ReturnType<typeof setTimeout> | undefined
const endedListeners = new Set<(reason: 'expired' | 'logged_out') => void>()

const sessionEndCodes = new Set(['SESSION_EXPIRED', 'UNAUTHENTICATED'])

/**
 * Whether this browser logged in and did not log out since: without it, asking the server who is signed in would
 * only ever answer 401. The cookie itself is HttpOnly and stays out of reach of the page.
 */
const signedInKey = 'nabij.staff.signed_in'
function rememberSignedIn(on: boolean): void {
  try {
    if (on) localStorage.setItem(signedInKey, '1')
    else localStorage.removeItem(signedInKey)
  } catch {
    // without storage the server is simply asked every time
  }
}
function mightBeSignedIn(): boolean {
  try {
    return localStorage.getItem(signedInKey) !== null
  } catch {
    return true
  }
}

function accept(reply: SessionReply): StaffMe {
  state.me = reply.staff
  state.csrfToken = reply.csrfToken
  state.expiresAt = reply.expiresAt
  state.ended = null
  rememberSignedIn(true)
  clearTimeout(expiryTimer)
  // The absolute end of the session is known: the page leaves on time instead of failing at the next click.
  const left = new Date(reply.expiresAt).getTime() - Date.now()
  if (left > 0 && left < 2 ** 31) expiryTimer = setTimeout(() => endSession('expired'), left)
  return reply.staff
}

/** Forgets the session locally and tells the shell, which sends the user to the login page. */
export function endSession(reason: 'expired' | 'logged_out'): void {
  // Already over: a late refusal of a request sent before the logout changes nothing.
  if (!state.me) return
  state.me = null
  state.csrfToken = ''
  state.expiresAt = null
  state.ended = reason
  checked = Promise.resolve(null)
  rememberSignedIn(false)
  clearTimeout(expiryTimer)
  for (const listener of endedListeners) listener(reason)
}

export function onSessionEnded(listener: (reason: 'expired' | 'logged_out') => void): () => void {
  endedListeners.add(listener)
  return () => endedListeners.delete(listener)
}

/** Who is signed in: asked once per page load, then known. */
export function currentStaff(): Promise<StaffMe | null> {
  if (!checked && !mightBeSignedIn()) checked = Promise.resolve(null)
  checked ??= request<SessionReply>('/staff/me')
    .then(accept)
    .catch((err: unknown) => {
      checked = undefined // a network failure is asked again at the next navigation
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        if (err.code === 'SESSION_EXPIRED') state.ended = 'expired'
        checked = Promise.resolve(null)
        rememberSignedIn(false)
        return null
      }
      throw err
    })
  return checked
}

/**
 * Asks the server whether the session still holds, for a page that comes back after a while (a tablet woken after a
 * patrol): an ended session (idle limit, password changed on another device, revoked) then ends at once, not at the
 * first click. Offline, nothing changes; the next request will tell.
 */
export async function recheckSession(): Promise<void> {
  if (!state.me) return
  try {
    const reply = await request<SessionReply>('/staff/me')
    if (state.me && reply.staff.id === state.me.id) {
      state.csrfToken = reply.csrfToken
      state.expiresAt = reply.expiresAt
    } else if (state.me) {
      accept(reply) // someone else signed in in another tab meanwhile
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && sessionEndCodes.has(err.code)) endSession('expired')
  }
}

export async function login(email: string, password: string, totp?: string): Promise<StaffMe> {
  const reply = await request<SessionReply>('/staff/session', { method: 'POST', body: { email, password, ...(totp ? { totp } : {}) } })
  checked = Promise.resolve(reply.staff)
  return accept(reply)
}

export async function logout(): Promise<void> {
  try {
    await staffRequest<void>('/staff/session', { method: 'DELETE' })
  } catch (err) {
    if (!(err instanceof ApiError)) throw err // an already ended session is logged out all the same
  }
  endSession('logged_out')
}

/** Keeps the page's copy in step after the staff member changed their own account. */
export function patchMe(patch: Partial<StaffMe>): void {
  if (state.me) state.me = { ...state.me, ...patch }
}

export function hasRole(...roles: Role[]): boolean {
  return state.me !== null && roles.includes(state.me.role)
}

const safeMethods = new Set(['GET', 'HEAD'])

/**
 * A request with the staff session: writes carry the CSRF token; an ended session ends the page's session too. A
 * CSRF refusal (the token changed because the user logged in again in another tab) is retried once with a fresh token.
 */
export async function staffRequest<T>(path: string, options: RequestOptions = {}, retried = false): Promise<T> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST')
  const headers = safeMethods.has(method) ? options.headers : { ...options.headers, 'x-csrf-token': state.csrfToken }
  try {
    return await request<T>(path, { ...options, method, headers })
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    if (err.status === 401 && sessionEndCodes.has(err.code)) endSession('expired')
    else if (err.code === 'CSRF_INVALID' && !retried) {
      checked = undefined
      if (await currentStaff()) return staffRequest<T>(path, options, true)
    }
    throw err
  }
}
