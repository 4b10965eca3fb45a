import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { api, ApiError, NetworkError, type FollowUpView } from '../api'
import { useLive } from '../realtime/useLive'

/** Codes that mean the receipt session is over: the resident types the code again. */
const sessionEnded = new Set(['UNAUTHENTICATED', 'RESIDENT_TOKEN_INVALID'])

export function isSessionEnded(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 401 || sessionEnded.has(err.code))
}

/**
 * The reporter's view of their report, kept current by the live feed (or by polling where the feed is not
 * available). `arrived` counts timeline entries that came in after the first load, for the screen-reader notice.
 */
export function useFollowUp(token: MaybeRefOrGetter<string | null>, onSessionEnded: () => void) {
  const report = shallowRef<FollowUpView>()
  const error = shallowRef<ApiError | NetworkError>()
  const arrived = ref(0)
  let inFlight = false
  let again = false

  async function load(): Promise<void> {
    const current = toValue(token)
    if (!current) return
    try {
      const next = await api.followUp.get(current)
      if (current !== toValue(token)) return
      if (report.value && next.timeline.length > report.value.timeline.length) {
        arrived.value += next.timeline.length - report.value.timeline.length
      }
      report.value = next
      error.value = undefined
    } catch (err) {
      if (isSessionEnded(err)) return onSessionEnded()
      if (!(err instanceof ApiError || err instanceof NetworkError)) throw err
      // A failed refresh keeps what is on screen; only a first load shows the error.
      if (!report.value) error.value = err
    }
  }

  /** One request at a time; an event during a request asks for one more, so nothing announced is missed. */
  async function refresh(): Promise<void> {
    if (inFlight) {
      again = true
      return
    }
    inFlight = true
    try {
      do {
        again = false
        await load()
      } while (again)
    } finally {
      inFlight = false
    }
  }

  watch(() => toValue(token), () => {
    report.value = undefined
    error.value = undefined
    arrived.value = 0
    void refresh()
  }, { immediate: true })

  const { status } = useLive(() => toValue(token), () => ({
    token: toValue(token) ?? undefined,
    subscription: { channel: 'report' },
    onEvent: () => void refresh(),
    onResync: () => void refresh(),
    onUnauthorized: onSessionEnded,
  }))

  return { report, error, arrived, liveStatus: status, refresh }
}
