import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { targetOf, type Category } from '@nabij/shared/domain/categories'
import type { Queue } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'
import { routingRules, staffUsers, zoneOfficers, zones } from '../../db/schema.js'
import { activeAssignmentOn, brusselsDate } from '../staff/access.js'
import { rowsOf } from '../../db/raw.js'
import { zoneIndex, zonesFingerprintSql, type ZoneHit } from './spatial-index.js'

export interface RouteDecision {
  zoneId: number | null
  queue: Queue
  routingRuleId: number | null
  /** Human-readable for staff: which floor or rule fired and why. */
  routingReason: string
  assignedStaffId: number | null
  promisedResponseHours: number
}

export const defaultPromisedResponseHours = 72
export const routingTimeZone = 'Europe/Brussels'

const weekdayNumbers: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }
const localParts = new Intl.DateTimeFormat('en-GB', { timeZone: routingTimeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

let lastClock: { minute: number; clock: { weekday: number; minute: number } } | null = null

/** ISO weekday (1 = Monday) and minutes since midnight in Brussels, daylight saving included. */
export function brusselsClock(at: Date): { weekday: number; minute: number } {
  // Every intake asks; within one UTC minute the answer is the same (time zones move by whole minutes).
  const minute = Math.floor(at.getTime() / 60_000)
  if (lastClock?.minute === minute) return lastClock.clock
  const parts = Object.fromEntries(localParts.formatToParts(at).map((p) => [p.type, p.value]))
  const clock = { weekday: weekdayNumbers[parts.weekday!]!, minute: Number(parts.hour) * 60 + Number(parts.minute) }
  lastClock = { minute, clock }
  return clock
}

export interface RuleWindow {
  weekdays: number[] | null
  fromMinute: number | null
  toMinute: number | null
}

/** A window from 22:00 to 06:00 wraps past midnight; its weekday is the one the window started on. */
export function inWindow(rule: RuleWindow, clock: { weekday: number; minute: number }): boolean {
  const { fromMinute: from, toMinute: to } = rule
  let weekday = clock.weekday
  if (from !== null && to !== null && from !== to) {
    if (from < to) {
      if (clock.minute < from || clock.minute >= to) return false
    } else {
      if (clock.minute < from && clock.minute >= to) return false
      if (clock.minute < to) weekday = weekday === 1 ? 7 : weekday - 1
    }
  } else if (from !== null && to === null) {
    if (clock.minute < from) return false
  } else if (to !== null && from === null) {
    if (clock.minute >= to) return false
  }
  return !rule.weekdays || rule.weekdays.length === 0 || rule.weekdays.includes(weekday)
}

type Officer = { id: number; displayName: string } | null

/** The zone's primary officer today (the longest-serving if several are marked primary). */
async function loadPrimaryOfficer(db: Db, zoneId: number, day: string): Promise<Officer> {
  const [row] = await db.select({ id: staffUsers.id, displayName: staffUsers.displayName }).from(zoneOfficers)
    .innerJoin(staffUsers, eq(staffUsers.id, zoneOfficers.staffId))
    .where(and(eq(zoneOfficers.zoneId, zoneId), eq(zoneOfficers.primary, true), isNull(staffUsers.disabledAt), activeAssignmentOn(day)))
    .orderBy(asc(zoneOfficers.startsOn), asc(zoneOfficers.id))
    .limit(1)
  return row ?? null
}

/**
 * What routing reads besides the zones, cached per fingerprint of its tables: any insert, update or delete in
 * routing_rules, zone_officers or staff_users gives a row a new xmin or changes the count, so the next intake on any
 * instance reloads. One query per intake checks both this and the zones (instead of one per table).
 */
interface RoutingCache {
  fingerprint: string
  rules: Promise<(typeof routingRules.$inferSelect)[]>
  primaries: Map<string, Promise<Officer>>
}

const tableFingerprint = (table: string) => sql.raw(`(select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${table})`)
const routingFingerprintSql = sql`${tableFingerprint('routing_rules')} || '|' || ${tableFingerprint('zone_officers')} || '|' || ${tableFingerprint('staff_users')}`

/**
 * Everything routing reads, as one SQL value: an intake's INSERT compares it with the fingerprint its decision was
 * made on and inserts nothing when the zones, rules, officers or staff changed meanwhile (see `routeReportOn`).
 */
export const routingInputsFingerprintSql = sql<string>`(${zonesFingerprintSql} || '#' || ${routingFingerprintSql})`

let cache: RoutingCache | null = null
/** The zones fingerprint read together with `cache`'s. */
let cachedZonesFingerprint: string | null = null

async function routingState(tx: Db, fresh: boolean): Promise<{ cache: RoutingCache; zonesFingerprint: string }> {
  if (!fresh && cache && cachedZonesFingerprint !== null) return { cache, zonesFingerprint: cachedZonesFingerprint }
  const [row] = await rowsOf<{ zones: string; routing: string }>(tx, sql`select ${zonesFingerprintSql} as zones, ${routingFingerprintSql} as routing`)
  const { zones: zonesFingerprint, routing } = row!
  if (cache?.fingerprint !== routing) {
    const rules = tx.select().from(routingRules).where(eq(routingRules.enabled, true)).orderBy(asc(routingRules.position), asc(routingRules.id))
    const loaded: RoutingCache = { fingerprint: routing, rules: Promise.resolve(rules), primaries: new Map() }
    cache = loaded
    // A failed load must not be cached.
    loaded.rules.catch(() => { if (cache === loaded) { cache = null; cachedZonesFingerprint = null } })
  }
  cachedZonesFingerprint = zonesFingerprint
  return { cache, zonesFingerprint }
}

function primaryOfficer(tx: Db, state: RoutingCache, zoneId: number, at: Date): Promise<Officer> {
  const key = `${zoneId}|${brusselsDate(at)}`
  let officer = state.primaries.get(key)
  if (!officer) {
    officer = loadPrimaryOfficer(tx, zoneId, brusselsDate(at))
    state.primaries.set(key, officer)
    officer.catch(() => state.primaries.delete(key))
  }
  return officer
}

async function chosenZone(tx: Db, id: number): Promise<ZoneHit | null> {
  const [row] = await tx.select({ id: zones.id, name: zones.name, policeZoneId: zones.policeZoneId, promisedResponseHours: zones.promisedResponseHours })
    .from(zones).where(and(eq(zones.id, id), isNull(zones.retiredAt)))
  return row ?? null
}

/**
 * Routes a report: zone by point-in-polygon, then the category floor (police conduct → oversight, municipal defects
 * → municipality), then the ordered rules (first match wins), then the zone's officers. Takes the intake's
 * transaction so the decision is saved with the report.
 */
export async function routeReport(tx: Db, location: { lat: number; lon: number } | null, category: Category, at: Date = new Date(), chosenZoneId: number | null = null): Promise<RouteDecision> {
  return (await routeReportOn(tx, location, category, at, chosenZoneId, { fresh: true })).decision
}

/**
 * Routes on what this process last read of the routing tables (`fresh: false`, no query once it has read them) or
 * on what they hold now (`fresh: true`, one query). Returns the decision with the fingerprint it rests on: a write
 * that checks `routingInputsFingerprintSql` against it knows whether the decision still holds when it commits.
 */
export async function routeReportOn(
  tx: Db,
  location: { lat: number; lon: number } | null,
  category: Category,
  at: Date,
  chosenZoneId: number | null,
  options: { fresh: boolean },
): Promise<{ decision: RouteDecision; fingerprint: string }> {
  const { cache: state, zonesFingerprint } = await routingState(tx, options.fresh)
  return { decision: await decideRoute(tx, state, zonesFingerprint, location, category, at, chosenZoneId), fingerprint: `${zonesFingerprint}#${state.fingerprint}` }
}

async function decideRoute(
  tx: Db,
  state: RoutingCache,
  zonesFingerprint: string,
  location: { lat: number; lon: number } | null,
  category: Category,
  at: Date,
  chosenZoneId: number | null,
): Promise<RouteDecision> {
  // A map point decides; without one, the neighbourhood the resident chose from the list (keyboard and screen-reader
  // users need not use the map).
  const zone: ZoneHit | null = location
    ? (await zoneIndex(tx, zonesFingerprint)).locate(location.lat, location.lon)
    : chosenZoneId !== null ? await chosenZone(tx, chosenZoneId) : null
  const zoneId = zone?.id ?? null
  const promisedResponseHours = zone?.promisedResponseHours ?? defaultPromisedResponseHours
  const where = zone ? `zone ${zone.name}` : 'outside every zone'
  const decide = (queue: Queue, routingReason: string, routingRuleId: number | null = null, assignedStaffId: number | null = null): RouteDecision =>
    ({ zoneId, queue, routingRuleId, routingReason, assignedStaffId, promisedResponseHours })

  // The floor comes first and no rule can lift it: a complaint about the police never lands with the zone's officers.
  const target = targetOf(category)
  if (target === 'oversight') return decide('oversight', `category floor: police conduct → oversight (${where})`)
  if (target === 'municipality') return decide('municipality', `category floor: municipal defect → municipality (${where})`)

  const rules = await state.rules
  const clock = brusselsClock(at)
  for (const rule of rules) {
    if (rule.category !== null && rule.category !== category) continue
    if (rule.zoneId !== null && rule.zoneId !== zoneId) continue
    if (!inWindow(rule, clock)) continue
    const queue = rule.queue as Queue
    // A rule sending to "the zone" cannot apply to a report outside every zone.
    if (queue === 'zone' && !zone) continue
    const assigned = rule.assignStaffId ?? (queue === 'zone' && zone ? (await primaryOfficer(tx, state, zone.id, at))?.id ?? null : null)
    return decide(queue, `rule "${rule.name}" (${where}) → ${queue}`, rule.id, assigned)
  }

  if (!zone) return decide('central', 'outside every zone → central queue')
  const primary = await primaryOfficer(tx, state, zone.id, at)
  return decide('zone', `zone ${zone.name} → zone officers${primary ? ` (primary: ${primary.displayName})` : ''}`, null, primary?.id ?? null)
}
