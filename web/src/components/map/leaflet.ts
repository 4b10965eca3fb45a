/**
 * Everything that touches Leaflet, loaded only when a map is on screen (dynamic import), so the first page stays
 * light. No tile server is needed: zones are drawn from our GeoJSON on a plain background; tiles appear only when
 * the installation configures MAP_TILE_URL.
 */
import * as L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import iconRetinaUrl from 'leaflet/dist/images/marker-icon-2x.png'
import iconUrl from 'leaflet/dist/images/marker-icon.png'
import shadowUrl from 'leaflet/dist/images/marker-shadow.png'
import type { Geometry, LatLon } from '../../api/types'

// Bundled marker images: Leaflet's own path detection would guess URLs the bundler never emitted.
const markerIcon = L.icon({
  iconUrl,
  iconRetinaUrl,
  shadowUrl,
  iconSize: [25, 41],
  iconAnchor: [12, 41],
  popupAnchor: [1, -34],
  shadowSize: [41, 41],
})

export interface MapZone {
  id: number
  name: string
  geometry: Geometry
}

export interface MapPoint extends LatLon {
  label: string
}

export interface MapOptions {
  tileUrl: string | null
  attribution: string
  rtl: boolean
  markerLabel: string
  onPick?: (point: LatLon) => void
  onZoneClick?: (id: number) => void
}

export interface MapHandle {
  setZones(zones: MapZone[], selected?: number | null): void
  setPoints(points: MapPoint[]): void
  setPicked(point: LatLon | null): void
  center(): LatLon
  destroy(): void
}

/** Belgium, when there is nothing to fit the view to. */
const belgium = L.latLngBounds([49.5, 2.5], [51.5, 6.4])

export function createMap(element: HTMLElement, options: MapOptions): MapHandle {
  const map = L.map(element, {
    zoomControl: false,
    attributionControl: true,
    keyboard: true,
    minZoom: 7,
    maxZoom: 19,
    // Leaflet 1.9 finishes a zoom animation from a 250 ms timer that does not check whether the map was removed
    // meanwhile ("Cannot read properties of undefined (reading '_leaflet_pos')" when a page leaves right after
    // fitting the view). Our maps jump to a fitted view instead; panning and dragging stay smooth.
    zoomAnimation: false,
    markerZoomAnimation: false,
  })
  L.control.zoom({ position: options.rtl ? 'topright' : 'topleft' }).addTo(map)
  map.attributionControl.setPrefix(false)
  map.attributionControl.addAttribution(options.attribution)
  if (options.tileUrl) L.tileLayer(options.tileUrl, { maxZoom: 19 }).addTo(map)
  map.fitBounds(belgium)

  const zoneLayer = L.featureGroup().addTo(map)
  const pointLayer = L.featureGroup().addTo(map)
  let marker: L.Marker | null = null
  let fitted = false

  if (options.onPick) {
    map.on('click', (event: L.LeafletMouseEvent) => options.onPick?.({ lat: event.latlng.lat, lon: event.latlng.lng }))
  }

  function fit(bounds: L.LatLngBounds) {
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 })
  }

  return {
    setZones(zones, selected = null) {
      zoneLayer.clearLayers()
      for (const zone of zones) {
        const isSelected = zone.id === selected
        const layer = L.geoJSON({ type: 'Feature', properties: {}, geometry: zone.geometry } as GeoJSON.Feature, {
          style: {
            color: isSelected ? '#14375f' : '#1d4e89',
            weight: isSelected ? 3 : 1.5,
            // A dashed outline tells the selected zone apart without relying on colour.
            dashArray: isSelected ? undefined : '4 3',
            fillOpacity: isSelected ? 0.15 : 0.05,
          },
        })
        layer.bindTooltip(zone.name, { sticky: true })
        if (options.onZoneClick) layer.on('click', () => options.onZoneClick?.(zone.id))
        zoneLayer.addLayer(layer)
      }
      if (!fitted || selected != null) {
        const target = selected != null ? zones.find((z) => z.id === selected) : undefined
        fit(target ? L.geoJSON({ type: 'Feature', properties: {}, geometry: target.geometry } as GeoJSON.Feature).getBounds() : zoneLayer.getBounds())
        fitted = zones.length > 0
      }
    },
    setPoints(points) {
      pointLayer.clearLayers()
      for (const point of points) {
        L.circleMarker([point.lat, point.lon], { radius: 8, color: '#8a3b00', weight: 2, fillColor: '#ffb366', fillOpacity: 0.8 })
          .bindTooltip(point.label)
          .addTo(pointLayer)
      }
    },
    setPicked(point) {
      if (!point) {
        marker?.remove()
        marker = null
        return
      }
      const latlng = L.latLng(point.lat, point.lon)
      if (!marker) {
        marker = L.marker(latlng, { icon: markerIcon, draggable: true, keyboard: true, alt: options.markerLabel, title: options.markerLabel }).addTo(map)
        marker.on('dragend', () => {
          const at = marker!.getLatLng()
          options.onPick?.({ lat: at.lat, lon: at.lng })
        })
      } else {
        marker.setLatLng(latlng)
      }
      if (!map.getBounds().contains(latlng)) map.panTo(latlng)
    },
    center() {
      const c = map.getCenter()
      return { lat: c.lat, lon: c.lng }
    },
    destroy() {
      map.remove()
    },
  }
}
