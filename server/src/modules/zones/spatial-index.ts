import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import Flatbush from 'flatbush'
import { isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/connect.js'
import { zones } from '../../db/schema.js'
import { rowsOf } from '../../db/raw.js'
import { polygonsOf, ringArea, type ZoneGeometry } from './geojson.js'

export interface ZoneHit {
  id: number
  name: string
  policeZoneId: string | null
  promisedResponseHours: number
}

interface Entry extends ZoneHit {
  geometry: ZoneGeometry
  /** Planar area in degrees², only to prefer the most specific of nested zones. */
  area: number
}

/**
 * An R-tree (flatbush) of the active zones' bounding boxes; candidates are confirmed with an exact point-in-polygon
 * test that counts the border as inside and holes as outside.
 */
export class ZoneIndex {
  private readonly tree: Flatbush | null

  constructor(private readonly entries: Entry[]) {
    if (entries.length === 0) {
      this.tree = null
      return
    }
    this.tree = new Flatbush(entries.length)
    for (const entry of entries) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
      for (const polygon of polygonsOf(entry.geometry)) {
        for (const [x, y] of polygon[0]!) {
          if (x < minX) minX = x
          if (x > maxX) maxX = x
          if (y < minY) minY = y
          if (y > maxY) maxY = y
        }
      }
      this.tree.add(minX, minY, maxX, maxY)
    }
    this.tree.finish()
  }

  get size(): number {
    return this.entries.length
  }

  /**
   * The zone containing the point. Nested zones (a neighbourhood inside a larger zone) resolve to the smallest; a
   * point on the border two neighbours share goes to the older zone (lower id), so the answer never depends on timing.
   */
  locate(lat: number, lon: number): ZoneHit | null {
    if (!this.tree) return null
    let best: Entry | null = null
    for (const i of this.tree.search(lon, lat, lon, lat)) {
      const entry = this.entries[i]!
      if (!booleanPointInPolygon([lon, lat], entry.geometry)) continue
      if (!best || entry.area < best.area || (entry.area === best.area && entry.id < best.id)) best = entry
    }
    return best && { id: best.id, name: best.name, policeZoneId: best.policeZoneId, promisedResponseHours: best.promisedResponseHours }
  }
}

function areaOf(geometry: ZoneGeometry): number {
  let sum = 0
  for (const [outer, ...holes] of polygonsOf(geometry)) {
    sum += Math.abs(ringArea(outer!)) - holes.reduce((s, h) => s + Math.abs(ringArea(h)), 0)
  }
  return sum / 2
}

/**
 * A fingerprint of the zones table: any insert, edit or retirement changes it (edits bump version and updated_at).
 * One cheap aggregate per routing call keeps every instance correct when another one changed the zones.
 */
export const zonesFingerprintSql = sql<string>`(select count(*) || ':' || coalesce(max(${zones.id}), 0) || ':' || coalesce(sum(${zones.version}), 0) || ':' || coalesce(extract(epoch from max(${zones.updatedAt})), 0) from ${zones})`

async function zonesFingerprint(db: Db): Promise<string> {
  const [row] = await rowsOf<{ fingerprint: string }>(db, sql`select ${zonesFingerprintSql} as fingerprint`)
  return row!.fingerprint
}

let cached: { fingerprint: string; index: Promise<ZoneIndex> } | null = null

async function buildIndex(db: Db): Promise<ZoneIndex> {
  const rows = await db.select({
    id: zones.id, name: zones.name, policeZoneId: zones.policeZoneId, promisedResponseHours: zones.promisedResponseHours, geometry: zones.geometry,
  }).from(zones).where(isNull(zones.retiredAt))
  return new ZoneIndex(rows.map((row) => {
    const geometry = row.geometry as ZoneGeometry
    return { ...row, geometry, area: areaOf(geometry) }
  }))
}

/**
 * The current index, rebuilt when the zones changed (on this instance or another). A caller that has just read
 * `zonesFingerprintSql` in a query of its own passes it to save the round trip.
 */
export async function zoneIndex(db: Db, knownFingerprint?: string): Promise<ZoneIndex> {
  const fingerprint = knownFingerprint ?? await zonesFingerprint(db)
  if (cached?.fingerprint !== fingerprint) {
    const index = buildIndex(db)
    cached = { fingerprint, index }
    // A failed build must not be cached.
    index.catch(() => { if (cached?.index === index) cached = null })
  }
  return cached.index
}

export async function locateZone(db: Db, location: { lat: number; lon: number }): Promise<ZoneHit | null> {
  return (await zoneIndex(db)).locate(location.lat, location.lon)
}
