import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { AdminZone, ImportZonesReply, PoliceZone, PublicZone, UpdateZoneBody, ZoneDetail, ZoneHistoryEntry, ZoneSummary } from '@nabij/shared/api/zones'
import type { Db } from '../../db/connect.js'
import { policeZones, staffUsers, zoneHistory, zoneOfficers, zones, type Zone } from '../../db/schema.js'
import { GeojsonInvalid, ZoneNotFound } from '../../errors.js'
import { audit } from '../audit/service.js'
import { recordEvent } from '../realtime/events.js'
import { activeAssignmentOn, brusselsDate } from '../staff/access.js'
import { publicPhotoUrl } from '../staff/profile.js'
import { GeojsonProblems, parseFeatureCollection, type ParsedFeature, type ZoneGeometry } from './geojson.js'

export interface ImportZonesOptions {
  /** Every imported zone belongs to this police zone (created if it does not exist yet)… */
  policeZoneId?: string | null
  policeZoneName?: string
  /** …or each feature names its own in this property (e.g. "police_zone"). */
  policeZoneProperty?: string
  idProperty?: string
  nameProperty?: string
  promisedResponseHours?: number
  actorStaffId?: number | null
}

/** GEOJSON_INVALID carrying every problem found, each naming its feature. */
export type GeojsonInvalidError = InstanceType<typeof GeojsonInvalid> & { details: { path: string; message: string }[] }

export function geojsonInvalid(problems: GeojsonProblems): GeojsonInvalidError {
  const err = new GeojsonInvalid(problems.message) as GeojsonInvalidError
  err.details = problems.problems
  return err
}

function parseOrThrow(input: unknown, options: { idProperty?: string; nameProperty?: string }): ParsedFeature[] {
  try {
    return parseFeatureCollection(input, options)
  } catch (err) {
    if (err instanceof GeojsonProblems) throw geojsonInvalid(err)
    throw err
  }
}

/** Only the GeoJSON members we route on are stored: no bbox, no foreign members. */
const cleanGeometry = (g: ZoneGeometry): Zone['geometry'] => ({ type: g.type, coordinates: g.coordinates })

async function ensurePoliceZones(tx: Db, ids: Iterable<string>, name?: string): Promise<void> {
  const values = [...new Set(ids)].map((id) => ({ id, name: name ?? `Police zone ${id}` }))
  if (values.length > 0) await tx.insert(policeZones).values(values).onConflictDoNothing()
}

/**
 * Imports a FeatureCollection as zones in one transaction: new ids are created, known ids are updated (a new
 * version in the history) and restored if they were retired. Nothing is saved if any feature is invalid.
 */
export async function importZones(db: Db, featureCollection: unknown, options: ImportZonesOptions = {}): Promise<ImportZonesReply> {
  const features = parseOrThrow(featureCollection, options)
  const policeZoneOf = (f: ParsedFeature): string | null => {
    if (options.policeZoneProperty) {
      const value = f.properties[options.policeZoneProperty]
      if (typeof value === 'string' || typeof value === 'number') return String(value)
    }
    return options.policeZoneId ?? null
  }
  return db.transaction(async (tx) => {
    await ensurePoliceZones(tx, features.map(policeZoneOf).filter((id): id is string => id !== null), options.policeZoneId ? options.policeZoneName : undefined)
    const existing = new Map<string, Zone>()
    for (let i = 0; i < features.length; i += 500) {
      const ids = features.slice(i, i + 500).map((f) => f.externalId)
      for (const row of await tx.select().from(zones).where(inArray(zones.externalId, ids))) existing.set(row.externalId, row)
    }
    const now = new Date()
    const result: ImportZonesReply = { created: 0, updated: 0, unchanged: 0, zones: [] }
    const history: (typeof zoneHistory.$inferInsert)[] = []
    const fresh = features.filter((f) => !existing.has(f.externalId))
    for (let i = 0; i < fresh.length; i += 100) {
      const rows = await tx.insert(zones).values(fresh.slice(i, i + 100).map((f) => ({
        externalId: f.externalId,
        name: f.name,
        names: f.names,
        policeZoneId: policeZoneOf(f),
        geometry: cleanGeometry(f.geometry),
        ...(options.promisedResponseHours ? { promisedResponseHours: options.promisedResponseHours } : {}),
        createdAt: now,
        updatedAt: now,
      }))).returning()
      for (const row of rows) history.push(historyRow(row, 'created', options.actorStaffId ?? null, now))
      result.created += rows.length
    }
    for (const f of features) {
      const before = existing.get(f.externalId)
      if (!before) continue
      const geometry = cleanGeometry(f.geometry)
      const policeZoneId = policeZoneOf(f)
      const same = before.retiredAt === null && before.name === f.name && before.policeZoneId === policeZoneId
        && JSON.stringify(before.names) === JSON.stringify(f.names) && JSON.stringify(before.geometry) === JSON.stringify(geometry)
        && (!options.promisedResponseHours || before.promisedResponseHours === options.promisedResponseHours)
      if (same) {
        result.unchanged++
        continue
      }
      const [row] = await tx.update(zones).set({
        name: f.name, names: f.names, policeZoneId, geometry, retiredAt: null, version: before.version + 1, updatedAt: now,
        ...(options.promisedResponseHours ? { promisedResponseHours: options.promisedResponseHours } : {}),
      }).where(eq(zones.id, before.id)).returning()
      history.push(historyRow(row!, before.retiredAt ? 'restored' : 'edited', options.actorStaffId ?? null, now))
      result.updated++
    }
    for (let i = 0; i < history.length; i += 100) await tx.insert(zoneHistory).values(history.slice(i, i + 100))
    const byExternal = new Map<string, number>()
    for (const row of await tx.select({ id: zones.id, externalId: zones.externalId }).from(zones).where(inArray(zones.externalId, features.map((f) => f.externalId)))) {
      byExternal.set(row.externalId, row.id)
    }
    result.zones = features.map((f) => ({ id: byExternal.get(f.externalId)!, externalId: f.externalId, name: f.name }))
    await audit(tx, {
      staffId: options.actorStaffId ?? null,
      action: 'zones.import',
      targetType: 'zones',
      detail: { created: result.created, updated: result.updated, unchanged: result.unchanged, policeZoneId: options.policeZoneId ?? null },
    })
    if (result.created + result.updated > 0) await recordEvent(tx, { type: 'zones.changed', payload: { created: result.created, updated: result.updated } })
    return result
  })
}

function historyRow(row: Zone, change: ZoneHistoryEntry['change'], staffId: number | null, at: Date): typeof zoneHistory.$inferInsert {
  return { zoneId: row.id, version: row.version, change, name: row.name, policeZoneId: row.policeZoneId, geometry: row.geometry, staffId, at }
}

/** Edits a zone; every edit is a new version, and retiring keeps the row so old reports still name their zone. */
export async function updateZone(db: Db, actorStaffId: number | null, id: number, input: UpdateZoneBody): Promise<AdminZone> {
  const geometry = input.geometry
    ? parseOrThrow({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: String(id), name: 'zone' }, geometry: input.geometry }] }, {})[0]!.geometry
    : undefined
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(zones).where(eq(zones.id, id)).for('update')
    if (!before) throw new ZoneNotFound(String(id))
    if (input.policeZoneId) await ensurePoliceZones(tx, [input.policeZoneId])
    const now = new Date()
    const retiring = input.retired === true && before.retiredAt === null
    const restoring = input.retired === false && before.retiredAt !== null
    const [after] = await tx.update(zones).set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.names !== undefined ? { names: input.names } : {}),
      ...(input.policeZoneId !== undefined ? { policeZoneId: input.policeZoneId } : {}),
      ...(geometry ? { geometry: cleanGeometry(geometry) } : {}),
      ...(input.promisedResponseHours !== undefined ? { promisedResponseHours: input.promisedResponseHours } : {}),
      ...(retiring ? { retiredAt: now } : restoring ? { retiredAt: null } : {}),
      version: before.version + 1,
      updatedAt: now,
    }).where(eq(zones.id, id)).returning()
    const change = retiring ? 'retired' : restoring ? 'restored' : 'edited'
    await tx.insert(zoneHistory).values(historyRow(after!, change, actorStaffId, now))
    await audit(tx, { staffId: actorStaffId, action: `zone.${change === 'edited' ? 'update' : change === 'retired' ? 'retire' : 'restore'}`, targetType: 'zone', targetId: id, detail: { fields: Object.keys(input), version: after!.version } })
    await recordEvent(tx, { type: 'zones.changed', zoneId: id, payload: { change } })
    return adminZone(after!)
  })
}

export function adminZone(row: Zone): AdminZone {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    names: row.names,
    policeZoneId: row.policeZoneId,
    promisedResponseHours: row.promisedResponseHours,
    version: row.version,
    retiredAt: row.retiredAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  }
}

export async function listAdminZones(db: Db): Promise<AdminZone[]> {
  return (await db.select().from(zones).orderBy(asc(zones.name), asc(zones.id))).map(adminZone)
}

/** Active zones for the public map and pickers. */
export async function listPublicZones(db: Db, filter: { policeZoneId?: string | undefined } = {}): Promise<PublicZone[]> {
  const rows = await db.select({ id: zones.id, externalId: zones.externalId, name: zones.name, names: zones.names, policeZoneId: zones.policeZoneId, geometry: zones.geometry })
    .from(zones)
    .where(and(isNull(zones.retiredAt), filter.policeZoneId ? eq(zones.policeZoneId, filter.policeZoneId) : undefined))
    .orderBy(asc(zones.name), asc(zones.id))
  return rows as PublicZone[]
}

export async function listZoneSummaries(db: Db, filter: { policeZoneId?: string | undefined } = {}): Promise<ZoneSummary[]> {
  return db.select({ id: zones.id, externalId: zones.externalId, name: zones.name, names: zones.names, policeZoneId: zones.policeZoneId })
    .from(zones)
    .where(and(isNull(zones.retiredAt), filter.policeZoneId ? eq(zones.policeZoneId, filter.policeZoneId) : undefined))
    .orderBy(asc(zones.name), asc(zones.id))
}

export async function zoneSummary(db: Db, id: number): Promise<ZoneSummary | null> {
  const [row] = await db.select({ id: zones.id, externalId: zones.externalId, name: zones.name, names: zones.names, policeZoneId: zones.policeZoneId })
    .from(zones).where(eq(zones.id, id))
  return row ?? null
}

/** A zone's public page: its outline, promise and the officers who chose to be shown (first name, photo if they chose). */
export async function zoneDetail(db: Db, id: number): Promise<ZoneDetail> {
  const [row] = await db.select({ zone: zones, policeZone: policeZones }).from(zones)
    .leftJoin(policeZones, eq(policeZones.id, zones.policeZoneId))
    .where(and(eq(zones.id, id), isNull(zones.retiredAt)))
  if (!row) throw new ZoneNotFound(String(id))
  const officers = await db.select({
    staffId: staffUsers.id, firstName: staffUsers.publicFirstName, primary: zoneOfficers.primary, photoId: staffUsers.photoId, photoPublic: staffUsers.photoPublic,
  }).from(zoneOfficers)
    .innerJoin(staffUsers, eq(staffUsers.id, zoneOfficers.staffId))
    .where(and(eq(zoneOfficers.zoneId, id), eq(staffUsers.showOnZonePage, true), isNull(staffUsers.disabledAt), sql`${staffUsers.publicFirstName} is not null`, activeAssignmentOn(brusselsDate())))
    .orderBy(desc(zoneOfficers.primary), asc(staffUsers.publicFirstName))
  return {
    id: row.zone.id,
    externalId: row.zone.externalId,
    name: row.zone.name,
    names: row.zone.names,
    policeZone: row.policeZone ? { id: row.policeZone.id, name: row.policeZone.name } : null,
    geometry: row.zone.geometry as ZoneDetail['geometry'],
    promisedResponseHours: row.zone.promisedResponseHours,
    officers: officers.map((o) => ({ firstName: o.firstName!, primary: o.primary, photoUrl: o.photoPublic && o.photoId ? publicPhotoUrl(o.staffId, o.photoId) : null })),
  }
}

export async function zoneHistoryOf(db: Db, id: number): Promise<ZoneHistoryEntry[]> {
  const [zone] = await db.select({ id: zones.id }).from(zones).where(eq(zones.id, id))
  if (!zone) throw new ZoneNotFound(String(id))
  const rows = await db.select().from(zoneHistory).where(eq(zoneHistory.zoneId, id)).orderBy(asc(zoneHistory.version), asc(zoneHistory.id))
  return rows.map((r) => ({ version: r.version, change: r.change, name: r.name, policeZoneId: r.policeZoneId, geometry: r.geometry as ZoneHistoryEntry['geometry'], staffId: r.staffId, at: r.at.toISOString() }))
}

export async function listPoliceZones(db: Db): Promise<PoliceZone[]> {
  return db.select({ id: policeZones.id, name: policeZones.name }).from(policeZones).orderBy(asc(policeZones.id))
}

export async function upsertPoliceZone(db: Db, actorStaffId: number | null, input: PoliceZone): Promise<PoliceZone> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(policeZones).values(input)
      .onConflictDoUpdate({ target: policeZones.id, set: { name: input.name } })
      .returning({ id: policeZones.id, name: policeZones.name })
    await audit(tx, { staffId: actorStaffId, action: 'police_zone.upsert', targetType: 'police_zone', targetId: input.id, detail: { name: input.name } })
    return row!
  })
}
