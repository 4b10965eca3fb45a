/**
 * Validation of imported boundaries. Every problem names the feature (by its id or its position) and the ring, so an
 * administrator can fix the file; nothing is saved while one problem remains.
 */
export type Position = [number, number]
export type Ring = Position[]
export type ZoneGeometry =
  | { type: 'Polygon'; coordinates: Ring[] }
  | { type: 'MultiPolygon'; coordinates: Ring[][] }

export interface ParsedFeature {
  externalId: string
  name: string
  /** Names by language from `name_<lang>` properties (name_fr, name_nl, …). */
  names: Record<string, string>
  geometry: ZoneGeometry
  properties: Record<string, unknown>
}

export interface GeojsonProblem {
  /** JSON pointer into the submitted collection, e.g. /features/3/geometry/coordinates/0. */
  path: string
  message: string
}

export class GeojsonProblems extends Error {
  constructor(readonly problems: GeojsonProblem[]) {
    super(problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; '))
  }
}

export const maxFeatures = 5000
const maxProblems = 50

export function polygonsOf(geometry: ZoneGeometry): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
}

/** Validates a FeatureCollection and returns its features, or throws GeojsonProblems listing what is wrong. */
export function parseFeatureCollection(input: unknown, options: { idProperty?: string; nameProperty?: string } = {}): ParsedFeature[] {
  const idProperty = options.idProperty ?? 'id'
  const nameProperty = options.nameProperty ?? 'name'
  const problems: GeojsonProblem[] = []
  const fail = (path: string, message: string) => { if (problems.length < maxProblems) problems.push({ path, message }) }

  if (!isObject(input) || input.type !== 'FeatureCollection' || !Array.isArray(input.features)) {
    throw new GeojsonProblems([{ path: '', message: 'not a GeoJSON FeatureCollection' }])
  }
  if (input.features.length === 0) throw new GeojsonProblems([{ path: '/features', message: 'no features' }])
  if (input.features.length > maxFeatures) throw new GeojsonProblems([{ path: '/features', message: `more than ${maxFeatures} features` }])

  const seen = new Map<string, number>()
  const parsed: ParsedFeature[] = []
  input.features.forEach((feature: unknown, index: number) => {
    const path = `/features/${index}`
    if (!isObject(feature) || feature.type !== 'Feature') return fail(path, 'not a Feature')
    const properties = isObject(feature.properties) ? feature.properties : {}
    const rawId = properties[idProperty] ?? (idProperty === 'id' ? feature.id : undefined)
    const label = typeof rawId === 'string' || typeof rawId === 'number' ? `feature "${rawId}"` : `feature #${index + 1}`
    if ((typeof rawId !== 'string' && typeof rawId !== 'number') || String(rawId).trim() === '') {
      fail(path, `${label}: property "${idProperty}" is missing`)
      return
    }
    const externalId = String(rawId).trim()
    const earlier = seen.get(externalId)
    if (earlier !== undefined) fail(path, `${label}: same id as feature #${earlier + 1}`)
    seen.set(externalId, index)
    const name = properties[nameProperty]
    if (typeof name !== 'string' || name.trim() === '') fail(path, `${label}: property "${nameProperty}" is missing`)
    const geometry = feature.geometry
    if (!isObject(geometry) || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      fail(`${path}/geometry`, `${label}: geometry must be a Polygon or MultiPolygon`)
      return
    }
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
    if (!Array.isArray(polygons) || polygons.length === 0) {
      fail(`${path}/geometry/coordinates`, `${label}: no coordinates`)
      return
    }
    let valid = true
    polygons.forEach((polygon: unknown, p: number) => {
      const polyPath = geometry.type === 'Polygon' ? `${path}/geometry/coordinates` : `${path}/geometry/coordinates/${p}`
      if (!Array.isArray(polygon) || polygon.length === 0) {
        valid = false
        return fail(polyPath, `${label}: polygon ${p + 1} has no rings`)
      }
      polygon.forEach((ring: unknown, r: number) => {
        const problem = ringProblem(ring)
        if (problem) {
          valid = false
          fail(`${polyPath}/${r}`, `${label}: ${r === 0 ? 'outer ring' : `hole ${r}`}${geometry.type === 'MultiPolygon' ? ` of polygon ${p + 1}` : ''} ${problem}`)
        }
      })
    })
    if (!valid || typeof name !== 'string') return
    const names: Record<string, string> = {}
    for (const [key, value] of Object.entries(properties)) {
      const match = /^name_([a-z]{2})$/.exec(key)
      if (match && typeof value === 'string' && value.trim() !== '') names[match[1]!] = value.trim()
    }
    parsed.push({ externalId, name: name.trim(), names, geometry: geometry as ZoneGeometry, properties })
  })
  if (problems.length > 0) throw new GeojsonProblems(problems)
  return parsed
}

/** What is wrong with one ring, or null. */
function ringProblem(ring: unknown): string | null {
  if (!Array.isArray(ring)) return 'is not an array of positions'
  if (ring.length < 4) return 'has fewer than 4 positions'
  for (let i = 0; i < ring.length; i++) {
    const pos = ring[i]
    if (!Array.isArray(pos) || pos.length < 2 || typeof pos[0] !== 'number' || typeof pos[1] !== 'number' || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) {
      return `has an invalid position at index ${i}`
    }
    if (pos[0] < -180 || pos[0] > 180 || pos[1] < -90 || pos[1] > 90) {
      return `has a position out of range at index ${i} ([${pos[0]}, ${pos[1]}]; GeoJSON is [longitude, latitude] in WGS84)`
    }
  }
  const first = ring[0] as Position
  const last = ring[ring.length - 1] as Position
  if (first[0] !== last[0] || first[1] !== last[1]) return 'is not closed (its first and last positions differ)'
  const crossing = selfIntersection(ring as Ring)
  if (crossing) return `intersects itself (segments ${crossing[0] + 1} and ${crossing[1] + 1})`
  if (ringArea(ring as Ring) === 0) return 'has no area'
  return null
}

/** Twice the signed planar area (positive for counter-clockwise). */
export function ringArea(ring: Ring): number {
  let sum = 0
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1]
  return sum
}

const orient = (a: Position, b: Position, c: Position) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
const onSegment = (a: Position, b: Position, c: Position) =>
  Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1])

function segmentsIntersect(p1: Position, p2: Position, p3: Position, p4: Position): boolean {
  const d1 = orient(p3, p4, p1)
  const d2 = orient(p3, p4, p2)
  const d3 = orient(p1, p2, p3)
  const d4 = orient(p1, p2, p4)
  if (d1 !== d2 && d3 !== d4 && d1 && d2 && d3 && d4) return true
  return (!d1 && onSegment(p3, p4, p1)) || (!d2 && onSegment(p3, p4, p2)) || (!d3 && onSegment(p1, p2, p3)) || (!d4 && onSegment(p1, p2, p4))
}

/**
 * First pair of non-adjacent segments that touch or cross, or null. Segments are swept by their west edge, so a
 * ring of n vertices costs about n log n plus the pairs whose longitudes overlap, not n².
 */
export function selfIntersection(ring: Ring): [number, number] | null {
  const n = ring.length - 1
  const order = Array.from({ length: n }, (_, i) => i)
  const minX = (i: number) => Math.min(ring[i]![0], ring[i + 1]![0])
  const maxX = (i: number) => Math.max(ring[i]![0], ring[i + 1]![0])
  order.sort((a, b) => minX(a) - minX(b))
  for (let a = 0; a < n; a++) {
    const i = order[a]!
    const iMaxX = maxX(i)
    const iMinY = Math.min(ring[i]![1], ring[i + 1]![1])
    const iMaxY = Math.max(ring[i]![1], ring[i + 1]![1])
    for (let b = a + 1; b < n; b++) {
      const j = order[b]!
      if (minX(j) > iMaxX) break
      const [lo, hi] = i < j ? [i, j] : [j, i]
      if (hi === lo + 1 || (lo === 0 && hi === n - 1)) continue // neighbours share a vertex
      if (Math.min(ring[j]![1], ring[j + 1]![1]) > iMaxY || Math.max(ring[j]![1], ring[j + 1]![1]) < iMinY) continue
      if (segmentsIntersect(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return [lo, hi]
    }
  }
  return null
}

function isObject(value: unknown): value is Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
