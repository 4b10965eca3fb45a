import { shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { api, ApiError, NetworkError, type NeighbourhoodPost, type PublicReport, type ZoneOfficer, type ZoneStat } from '../api'
import { loadZones } from '../composables/useSiteData'
import { useLive } from '../realtime/useLive'

/**
 * Everything the neighbourhood page shows for one zone. Parts whose API is not there (yet) read as empty, so the
 * page renders with what exists; officers' posts and public reports refresh live.
 */
export function useNeighbourhood(zoneId: MaybeRefOrGetter<number>) {
  const zone = shallowRef<Awaited<ReturnType<typeof loadZones>>[number] | null>()
  const reports = shallowRef<PublicReport[]>([])
  const posts = shallowRef<NeighbourhoodPost[]>([])
  const officers = shallowRef<ZoneOfficer[]>([])
  const stats = shallowRef<ZoneStat[]>([])
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
    const all = await guard(loadZones(), [])
    if (id !== toValue(zoneId)) return
    zone.value = all.find((z) => z.id === id) ?? null
    if (!zone.value) return
    const [o, s] = await Promise.all([guard(api.public.officers(id), []), guard(api.public.stats(id), []), loadLive(id)])
    if (id !== toValue(zoneId)) return
    officers.value = o
    stats.value = s
  }

  watch(() => toValue(zoneId), (id) => {
    zone.value = undefined
    reports.value = []
    posts.value = []
    officers.value = []
    stats.value = []
    void load(id)
  }, { immediate: true })

  const { status } = useLive(() => toValue(zoneId), () => ({
    topics: [{ kind: 'zone', zoneId: toValue(zoneId) }],
    onEvent: () => void loadLive(toValue(zoneId)),
    onResync: () => void loadLive(toValue(zoneId)),
  }))

  return { zone, reports, posts, officers, stats, error, liveStatus: status }
}
