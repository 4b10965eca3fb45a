import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Role } from '../../../shared/src/domain/roles.js'
import type { Db } from '../../../server/src/db/connect.js'
import { policeZones, zoneOfficers, zones, type StaffUser, type Zone } from '../../../server/src/db/schema.js'
import { brusselsDate } from '../../../server/src/modules/staff/access.js'
import { createStaff } from '../../../server/src/modules/staff/service.js'
import { totpCode } from '../../../server/src/modules/staff/totp.js'

type Geometry = Zone['geometry']

export interface ZoneOptions {
  around?: { lat: number; lon: number }
  /** Half the side of the square drawn `around` the point, in degrees (default about 500 m). */
  radius?: number
  geometry?: Geometry
  name?: string
  externalId?: string
  policeZoneId?: string
  promisedResponseHours?: number
}

let counter = 0
const unique = () => `${Date.now().toString(36)}-${++counter}-${randomBytes(3).toString('hex')}`

/** A square around a point, counter-clockwise as RFC 7946 wants. */
export function squareAround({ lat, lon }: { lat: number; lon: number }, radius = 0.005): Geometry {
  return {
    type: 'Polygon',
    coordinates: [[[lon - radius, lat - radius], [lon + radius, lat - radius], [lon + radius, lat + radius], [lon - radius, lat + radius], [lon - radius, lat - radius]]],
  }
}

/** A zone row, by default a ~1 km square around `around`; routing picks it up at once (its updated_at is new). */
export async function aZone(db: Db, options: ZoneOptions = {}): Promise<Zone> {
  const geometry = options.geometry ?? squareAround(options.around ?? { lat: 50.8275, lon: 4.3721 }, options.radius)
  if (options.policeZoneId) await db.insert(policeZones).values({ id: options.policeZoneId, name: `Police zone ${options.policeZoneId}` }).onConflictDoNothing()
  const id = unique()
  const [row] = await db.insert(zones).values({
    externalId: options.externalId ?? `test-${id}`,
    name: options.name ?? `Zone ${id}`,
    policeZoneId: options.policeZoneId ?? null,
    geometry,
    promisedResponseHours: options.promisedResponseHours ?? 72,
  }).returning()
  return row!
}

export interface StaffOptions {
  role: Role
  /** Officers: assigned to this zone from today, as primary unless told otherwise. */
  zoneId?: number
  primary?: boolean
  password?: string
  email?: string
  displayName?: string
  totpSecret?: string
  language?: string
}

export type TestStaff = StaffUser & { password: string }

/** A real account (argon2id hash) and, with `zoneId`, an active zone assignment. */
export async function aStaff(db: Db, options: StaffOptions): Promise<TestStaff> {
  const id = unique()
  const password = options.password ?? `correct horse battery ${id}`
  const row = await createStaff(db, {
    email: options.email ?? `${options.role}-${id}@nabij.test`,
    displayName: options.displayName ?? `${options.role} ${id}`,
    role: options.role,
    password,
    language: options.language ?? 'nl',
    totpSecret: options.totpSecret ?? null,
  })
  if (options.zoneId !== undefined) {
    await db.insert(zoneOfficers).values({ zoneId: options.zoneId, staffId: row.id, primary: options.primary ?? true, startsOn: brusselsDate() })
  }
  return { ...row, password }
}

export interface StaffLogin {
  /** Ready for a `cookie` request header. */
  cookie: string
  csrfToken: string
  /** Headers for a write: cookie and x-csrf-token. */
  headers: { cookie: string; 'x-csrf-token': string }
}

/** Logs in through the real API (with a TOTP code when the account has a secret). */
export async function loginAs(app: FastifyInstance, staff: Pick<TestStaff, 'email' | 'password' | 'totpSecret'>): Promise<StaffLogin> {
  // Each login from its own documentation address (TEST-NET-2), so the per-address login rate limit stays out of the way.
  const remoteAddress = `198.51.100.${1 + Math.floor(Math.random() * 254)}`
  const attempt = (step: number) => app.inject({
    method: 'POST',
    url: '/api/staff/session',
    remoteAddress,
    payload: { email: staff.email, password: staff.password, ...(staff.totpSecret ? { totp: totpCode(staff.totpSecret, Date.now() + step * 30_000) } : {}) },
  })
  let res = await attempt(0)
  // A TOTP code is accepted once: a second login within the same 30 s uses the next step's code.
  if (staff.totpSecret && res.statusCode === 401 && res.json().code === 'TOTP_INVALID') res = await attempt(1)
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
  const setCookie = res.cookies.find((c) => c.name === 'nabij_session')
  if (!setCookie) throw new Error('login set no session cookie')
  const cookie = `nabij_session=${setCookie.value}`
  const { csrfToken } = res.json() as { csrfToken: string }
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } }
}
