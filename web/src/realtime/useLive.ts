import { getCurrentScope, onScopeDispose, ref, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { connectLive, type LiveOptions, type LiveStatus } from './live'

/**
 * Keeps a live feed open while `key` is non-null (a token, a zone id) and reopens it when the key changes.
 * `build` gives the options for the current key; the feed closes with the component.
 */
export function useLive(key: MaybeRefOrGetter<string | number | null | undefined>, build: () => Omit<LiveOptions, 'onStatus'>) {
  const status = ref<LiveStatus>('closed')
  let close: (() => void) | undefined
  watch(() => toValue(key), (current) => {
    close?.()
    close = undefined
    if (current == null) return
    close = connectLive({ ...build(), onStatus: (s) => { status.value = s } })
  }, { immediate: true })
  if (getCurrentScope()) onScopeDispose(() => close?.())
  return { status }
}
