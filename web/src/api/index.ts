import { orEmpty, request, requestBlob } from './client'
import type {
  CategoriesReply, CategoryItem, CreateReportBody, CreateReportReply, FollowUpView, MetaReply, NeighbourhoodPost, PostList,
  PublicReportList, PublicReportSummary, PublicZone, ReceiptSessionReply, ReopenBody, ReopenReply, ReplyBody, TimelineItem, ZoneDetail, ZoneStatsReply,
} from './types'

export { ApiError, NetworkError } from './client'
export type * from './types'

/** JSON when there are no photos; otherwise multipart with the same object as JSON in `field` and the files in `photos`. */
function withPhotos<T extends object>(field: string, body: T, photos: File[]): T | FormData {
  if (photos.length === 0) return body
  const form = new FormData()
  form.append(field, JSON.stringify(body))
  for (const photo of photos) form.append('photos', photo, photo.name)
  return form
}

/** The typed client of the resident and public API, grouped by capability. */
export const api = {
  meta: {
    get: () => request<MetaReply>('/meta'),
  },
  categories: {
    list: async (): Promise<CategoryItem[]> => (await request<CategoriesReply>('/categories')).categories,
  },
  zones: {
    list: () => request<PublicZone[]>('/zones'),
    get: (id: number) => request<ZoneDetail>(`/zones/${id}`),
  },
  reports: {
    /** Photos travel in the same request, so a report is never saved without the photos it was sent with. */
    create: (report: CreateReportBody, photos: File[], idempotencyKey: string) =>
      request<CreateReportReply>('/reports', {
        method: 'POST',
        body: withPhotos('report', report, photos),
        headers: { 'idempotency-key': idempotencyKey },
      }),
  },
  followUp: {
    session: (code: string) => request<ReceiptSessionReply>('/receipt/session', { method: 'POST', body: { code } }),
    get: (token: string) => request<FollowUpView>('/followup', { token }),
    /** A message, photos, or both. */
    reply: (token: string, reply: ReplyBody, photos: File[]) => {
      let body: ReplyBody | FormData = reply
      if (photos.length) {
        const form = new FormData()
        if (reply.text) form.append('reply', JSON.stringify(reply))
        for (const photo of photos) form.append('photos', photo, photo.name)
        body = form
      }
      return request<TimelineItem>('/followup/replies', { method: 'POST', body, token })
    },
    /** A closed report, within its window (`reopenUntil`), back to "in progress" with the reporter's reason. */
    reopen: (token: string, body: ReopenBody) => request<ReopenReply>('/followup/reopen', { method: 'POST', body, token }),
    /** Erases the report's private content (description, address, photos, replies); answers the follow-up as it now is. */
    erase: (token: string) => request<FollowUpView>('/followup', { method: 'DELETE', token }),
    /** A photo the reporter may see: fetched with the bearer token, shown through a blob: URL. */
    photo: (url: string, token: string) => requestBlob(url, token),
  },
  public: {
    /** Parts of the neighbourhood page whose module is not installed (404 without a code of its own) read as empty. */
    reports: async (zoneId: number): Promise<PublicReportSummary[]> =>
      (await orEmpty(request<PublicReportList>('/public/reports', { query: { zone: zoneId, pageSize: 100 } }), { items: [], page: 1, pageSize: 0, total: 0 })).items,
    posts: async (zoneId: number): Promise<NeighbourhoodPost[]> =>
      (await orEmpty(request<PostList>(`/public/zones/${zoneId}/posts`), { items: [], nextBefore: null })).items,
    stats: (zoneId: number) => orEmpty(request<ZoneStatsReply | null>(`/public/zones/${zoneId}/stats`), null),
  },
}
