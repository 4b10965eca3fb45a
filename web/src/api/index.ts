import { categories as domainCategories, type Category } from '@nabij/shared/domain/categories'
import type { Language } from '@nabij/shared/domain/languages'
import type { MetaReply } from '@nabij/shared/api/meta'
import { orEmpty, request } from './client'
import type {
  CategoryInfo, FollowUpReport, LatLon, NeighbourhoodPost, PublicReport, ZoneOfficer, ZoneStat, ZoneSummary,
} from './types'

export { ApiError, NetworkError } from './client'
export type * from './types'

export interface NewReport {
  category: Category
  description: string
  location?: LatLon
  addressText?: string
  zoneId?: number
  language: Language
  anonymous: boolean
  name?: string
  email?: string
  phone?: string
  contactConsent?: boolean
}

export interface CreateReportReply {
  reference: string
  receiptCode?: string
}

export interface ReceiptSession {
  token: string
  expiresAt?: string
}

/** Photos travel in the same request as the report, so a report is never saved without the photos it was sent with. */
function encodeReport(report: NewReport, photos: File[]): NewReport | FormData {
  if (photos.length === 0) return report
  const form = new FormData()
  for (const [key, value] of Object.entries(report)) {
    if (value === undefined) continue
    form.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value))
  }
  for (const photo of photos) form.append('photos', photo, photo.name)
  return form
}

export const api = {
  meta: {
    get: () => request<MetaReply>('/meta'),
  },
  categories: {
    /** The installation's categories; the shared domain list until the route exists. */
    list: async (): Promise<CategoryInfo[]> => {
      const fallback = domainCategories.map((c) => ({ key: c.key, target: c.target, icon: c.icon }))
      const reply = await orEmpty(request<CategoryInfo[] | { categories: CategoryInfo[] }>('/categories'), fallback)
      return Array.isArray(reply) ? reply : reply.categories
    },
  },
  zones: {
    list: async (): Promise<ZoneSummary[]> => {
      const reply = await orEmpty(request<ZoneSummary[] | { zones: ZoneSummary[] }>('/zones'), [])
      return Array.isArray(reply) ? reply : reply.zones
    },
  },
  reports: {
    create: (report: NewReport, photos: File[], idempotencyKey: string) =>
      request<CreateReportReply>('/reports', {
        method: 'POST',
        body: encodeReport(report, photos),
        headers: { 'idempotency-key': idempotencyKey },
      }),
  },
  followUp: {
    session: (receiptCode: string) => request<ReceiptSession>('/receipt/session', { method: 'POST', body: { receiptCode } }),
    get: (token: string) => request<FollowUpReport>('/followup', { token }),
    reply: (token: string, text: string, photos: File[]) => {
      const body: { text: string } | FormData = photos.length ? new FormData() : { text }
      if (body instanceof FormData) {
        body.append('text', text)
        for (const photo of photos) body.append('photos', photo, photo.name)
      }
      return request<{ id: number }>('/followup/replies', { method: 'POST', body, token })
    },
    addPhotos: (token: string, photos: File[]) => {
      const form = new FormData()
      for (const photo of photos) form.append('photos', photo, photo.name)
      return request<{ count: number }>('/followup/photos', { method: 'POST', body: form, token })
    },
  },
  public: {
    reports: async (zoneId: number): Promise<PublicReport[]> => {
      const reply = await orEmpty(request<PublicReport[] | { reports: PublicReport[] }>('/public/reports', { query: { zone: zoneId } }), [])
      return Array.isArray(reply) ? reply : reply.reports
    },
    posts: async (zoneId: number): Promise<NeighbourhoodPost[]> => {
      const reply = await orEmpty(request<NeighbourhoodPost[] | { posts: NeighbourhoodPost[] }>(`/public/zones/${zoneId}/posts`), [])
      return Array.isArray(reply) ? reply : reply.posts
    },
    officers: async (zoneId: number): Promise<ZoneOfficer[]> => {
      const reply = await orEmpty(request<ZoneOfficer[] | { officers: ZoneOfficer[] }>(`/public/zones/${zoneId}/officers`), [])
      return Array.isArray(reply) ? reply : reply.officers
    },
    stats: async (zoneId: number): Promise<ZoneStat[]> => {
      const reply = await orEmpty(request<ZoneStat[] | { figures: ZoneStat[] }>(`/public/zones/${zoneId}/stats`), [])
      return Array.isArray(reply) ? reply : reply.figures
    },
  },
}
