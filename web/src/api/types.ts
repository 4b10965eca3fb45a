/**
 * Shapes of API replies that have no schema in `@nabij/shared/api/*` yet. Each is replaced by the shared type
 * as soon as the module that answers it lands; nothing outside web/src/api/ depends on where a type comes from.
 */
import type { Category, RoutingTarget } from '@nabij/shared/domain/categories'
import type { CloseReason, Status } from '@nabij/shared/domain/statuses'

export interface Geometry {
  type: 'Polygon' | 'MultiPolygon'
  coordinates: unknown
}

export interface CategoryInfo {
  key: Category
  target: RoutingTarget
  icon: string
}

export interface ZoneSummary {
  id: number
  name: string
  names?: Record<string, string>
  policeZoneId?: string | null
  geometry?: Geometry | null
}

export interface LatLon {
  lat: number
  lon: number
}

export interface TimelineItem {
  id: number
  kind: string
  author: 'staff' | 'reporter' | 'system'
  text: string | null
  cannedKey?: string | null
  status?: Status | null
  createdAt: string
  /** A question from the officer that waits for the reporter's answer. */
  question?: boolean
}

export interface FollowUpReport {
  reference: string
  category: Category
  status: Status
  closeReason?: CloseReason | null
  description?: string
  createdAt: string
  timeline: TimelineItem[]
  photoCount?: number
  /** Highest event id included in this view: the live feed resumes after it. */
  lastEventId?: number | null
}

export interface PublicReport {
  id: number | string
  category: Category
  status: Status
  /** Generalised location: never the exact spot. */
  lat: number | null
  lon: number | null
  summary: string | null
  createdAt: string
}

export interface NeighbourhoodPost {
  id: number
  title: string
  body: string
  language: string
  publishedAt: string
  officerFirstName?: string | null
}

export interface ZoneOfficer {
  firstName: string
  photoUrl?: string | null
}

export interface ZoneStat {
  key: string
  value: number
  unit?: string
}
