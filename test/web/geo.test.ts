import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Geometry } from '../../web/src/api/types'
import { contains, zoneAt, zoneName } from '../../web/src/composables/geo'

interface Feature { properties: { id: string; name: string; name_fr?: string; name_nl?: string }; geometry: Geometry }
const quartiers = (JSON.parse(readFileSync(resolve('../shared/fixtures/geo/brussels-quartiers.geojson'), 'utf8')) as { features: Feature[] })
  .features.map((f, i) => ({ id: i + 1, name: f.properties.name, names: { fr: f.properties.name_fr ?? f.properties.name, nl: f.properties.name_nl ?? f.properties.name }, geometry: f.geometry }))

describe('finding the zone of a point', () => {
  it('names the Brussels neighbourhood that contains a point', () => {
    expect(zoneAt(quartiers, { lat: 50.8275, lon: 4.3721 })?.name).toBe('Flagey - malibran')
    expect(zoneAt(quartiers, { lat: 50.8467, lon: 4.3525 })?.name).toBe('Grand place / Grote markt')
  })

  it('finds nothing outside every zone', () => {
    expect(zoneAt(quartiers, { lat: 51.2194, lon: 4.4025 })).toBeUndefined() // Antwerp
  })

  it('leaves out a polygon hole', () => {
    const withHole: Geometry = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]] }
    expect(contains(withHole, { lat: 2, lon: 2 })).toBe(true)
    expect(contains(withHole, { lat: 5, lon: 5 })).toBe(false)
  })

  it('shows a zone in the reader\'s language when it has a name in it', () => {
    const grandPlace = quartiers[0]!
    expect(zoneName(grandPlace, 'nl')).toBe('Grote markt')
    expect(zoneName(grandPlace, 'ar')).toBe('Grand place / Grote markt')
  })
})
