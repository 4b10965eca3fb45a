import type { StaffReportDetail } from '@nabij/shared/api/staff'
import type { StaffTimelineItem } from '@nabij/shared/api/updates'
import { onBeforeUnmount, shallowRef, toValue, watch, type MaybeRefOrGetter } from 'vue'
import { ApiError, NetworkError } from '../../api/client'
import { staffApi } from '../api'
import { listen, markSeen } from '../feed'

/**
 * A report as staff work it: the detail and the full timeline, reloaded whenever the live feed announces a change
 * to this report (an answer from the reporter, a colleague's update), so the page never needs a manual reload.
 */
export function useStaffReport(reference: MaybeRefOrGetter<string>) {
  const report = shallowRef<StaffReportDetail>()
  const timeline = shallowRef<StaffTimelineItem[]>([])
  const error = shallowRef<ApiError | NetworkError>()
  let generation = 0

  async function load(): Promise<void> {
    const wanted = toValue(reference)
    const mine = ++generation
    try {
      const [detail, items] = await Promise.all([staffApi.reports.get(wanted), staffApi.reports.timeline(wanted)])
      if (mine !== generation) return
      report.value = detail
      timeline.value = items
      error.value = undefined
    } catch (err) {
      if (!(err instanceof ApiError || err instanceof NetworkError)) throw err
      if (mine === generation) error.value = err
    }
  }

  watch(() => toValue(reference), (current) => {
    report.value = undefined
    timeline.value = []
    markSeen(current)
    void load()
  }, { immediate: true })

  let timer: ReturnType<typeof setTimeout> | undefined
  const reloadSoon = () => {
    clearTimeout(timer)
    timer = setTimeout(() => void load(), 200)
  }
  const off = listen({
    onEvent: (event) => {
      if (event.reference === toValue(reference)) reloadSoon()
    },
    onResync: reloadSoon,
  })
  onBeforeUnmount(() => {
    off()
    clearTimeout(timer)
  })

  return { report, timeline, error, reload: load }
}
