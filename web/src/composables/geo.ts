import type { Geometry, LatLon } from '../api/types'

type Ring = [number, number][]

/** Ray casting on one ring of [lon, lat] positions. */
function inRing(point: LatLon, ring: Ring): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if ((yi > point.lat) !== (yj > point.lat) && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

export function contains(geometry: Geometry, point: LatLon): boolean {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as Ring[][]
  return polygons.some(([outer, ...holes]) => !!outer && inRing(point, outer) && !holes.some((hole) => inRing(point, hole)))
}

export interface NamedZone {
  id: number
  name: string
  names?: Record<string, string>
  geometry?: Geometry
}

/** The zone containing the point, to tell the resident where it will go; the server decides for real. */
export function zoneAt<Z extends NamedZone>(zones: Z[], point: LatLon): Z | undefined {
  return zones.find((zone) => zone.geometry && contains(zone.geometry, point))
}

/** A zone's name in the interface language when the zone has one, else its own name. */
export function zoneName(zone: Pick<NamedZone, 'name' | 'names'>, language: string): string {
  return zone.names?.[language] ?? zone.name
}
