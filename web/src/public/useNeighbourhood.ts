import { shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { api, ApiError, NetworkError, type NeighbourhoodPost, type PublicReportSummary, type ZoneDetail, type ZoneStatsReply } from '../api'
import { useLive } from '../realtime/useLive'

/**
 * Everything the neighbourhood page shows for one zone. A part whose module is not installed reads as empty, so
 * the page renders with what exists; officers' posts and public reports follow the zone's live channel.
 */
export function useNeighbourhood(zoneId: MaybeRefOrGetter<number>) {
  /** undefined while loading, null when the zone does not exist. */
  const zone = shallowRef<ZoneDetail | null>()
  const reports = shallowRef<PublicReportSummary[]>([])
  const posts = shallowRef<NeighbourhoodPost[]>([])
  const stats = shallowRef<ZoneStatsReply | null>(null)
  const error = shallowRef<ApiError | NetworkError>()

  async function guard<T>(promise: Promise<T>, fallback: T): Promise<T> {
    try {
      return await promise
    } catch (err) {
      if (!(err instanceof ApiError || err instanceof NetworkError)) throw err
      error.value ??= err
      return fallback
    }
  }

  async function loadLive(id: number) {
    const [r, p] = await Promise.all([guard(api.public.reports(id), reports.value), guard(api.public.posts(id), posts.value)])
    if (id !== toValue(zoneId)) return
    reports.value = r
    posts.value = p
  }

  async function load(id: number) {
    error.value = undefined
    let detail: ZoneDetail | null
    try {
      detail = await api.zones.get(id)
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) detail = null
      else if (err instanceof ApiError || err instanceof NetworkError) {
        error.value = err
        detail = null
      } else throw err
    }
    if (id !== toValue(zoneId)) return
    zone.value = detail
    if (!detail) return
    const [s] = await Promise.all([guard(api.public.stats(id), null), loadLive(id)])
    if (id === toValue(zoneId)) stats.value = s
  }

  watch(() => toValue(zoneId), (id) => {
    zone.value = undefined
    reports.value = []
    posts.value = []
    stats.value = null
    void load(id)
  }, { immediate: true })

  const { status } = useLive(() => toValue(zoneId), () => ({
    subscription: { channel: 'zone', id: toValue(zoneId) },
    onEvent: () => void loadLive(toValue(zoneId)),
    onResync: () => void loadLive(toValue(zoneId)),
  }))

  return { zone, reports, posts, stats, error, liveStatus: status }
}
