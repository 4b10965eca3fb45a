import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref, type ShallowRef } from 'vue'
import { ApiError, NetworkError } from '../api/client'

export interface AsyncState<T> {
  data: ShallowRef<T | undefined>
  error: ShallowRef<ApiError | NetworkError | undefined>
  loading: Ref<boolean>
  reload: () => Promise<void>
}

/**
 * Loads `load(source)` now and whenever `source` changes; an answer to an older source is dropped. API and network
 * failures land in `error`; anything else is a bug and is thrown.
 */
export function useAsync<T, S = undefined>(load: (source: S) => Promise<T>, source?: MaybeRefOrGetter<S>): AsyncState<T> {
  const data = shallowRef<T>()
  const error = shallowRef<ApiError | NetworkError>()
  const loading = ref(false)
  let generation = 0

  async function run(): Promise<void> {
    const mine = ++generation
    loading.value = true
    error.value = undefined
    try {
      const value = await load(toValue(source) as S)
      if (mine === generation) data.value = value
    } catch (err) {
      if (!(err instanceof ApiError || err instanceof NetworkError)) throw err
      if (mine === generation) error.value = err
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  watch(() => toValue(source), () => void run(), { immediate: true })
  return { data, error, loading, reload: run }
}

/** A value fetched once per page load and shared by every component that asks (meta, zones, categories). */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () => (pending ??= load().catch((err: unknown) => {
    pending = undefined // a failure is retried on the next ask
    throw err
  }))
}
