import type { StaffReportsPage } from '@nabij/shared/api/staff'
import { categoryKeys, type Category } from '@nabij/shared/domain/categories'
import { openStatuses, queues, queueSorts, statuses, type Queue, type QueueSort, type Status } from '@nabij/shared/domain/statuses'
import { onBeforeUnmount, ref, toValue, type MaybeRefOrGetter } from 'vue'
import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import { useAsync } from '../../composables/useAsync'
import { staffApi } from '../api'
import { listen } from '../feed'

export interface InboxFilter {
  status: Status[]
  category: Category | null
  zoneId: number | null
  queue: Queue | null
  overdue: boolean
  sort: QueueSort
  page: number
}

export const pageSize = 50

const one = (value: LocationQuery[string] | undefined) => (Array.isArray(value) ? value[0] : value) ?? undefined

/** The filter lives in the address, so a reload, the back button and a shared link keep it. */
export function filterFromQuery(query: LocationQuery): InboxFilter {
  const status = (one(query.status) ?? '').split(',').filter((s): s is Status => (statuses as readonly string[]).includes(s))
  const category = one(query.category)
  const zone = Number(one(query.zone))
  const queue = one(query.queue)
  const sort = one(query.sort)
  const page = Number(one(query.page))
  return {
    status: status.length ? status : [...openStatuses],
    category: categoryKeys.includes(category as Category) ? (category as Category) : null,
    zoneId: Number.isSafeInteger(zone) && zone > 0 ? zone : null,
    queue: (queues as readonly string[]).includes(queue ?? '') ? (queue as Queue) : null,
    overdue: one(query.overdue) === '1',
    sort: (queueSorts as readonly string[]).includes(sort ?? '') ? (sort as QueueSort) : 'oldest',
    page: Number.isSafeInteger(page) && page > 1 ? page : 1,
  }
}

export function queryFromFilter(filter: InboxFilter): LocationQueryRaw {
  const defaultStatus = filter.status.length === openStatuses.length && openStatuses.every((s) => filter.status.includes(s))
  return {
    ...(defaultStatus ? {} : { status: filter.status.join(',') }),
    ...(filter.category ? { category: filter.category } : {}),
    ...(filter.zoneId ? { zone: String(filter.zoneId) } : {}),
    ...(filter.queue ? { queue: filter.queue } : {}),
    ...(filter.overdue ? { overdue: '1' } : {}),
    ...(filter.sort !== 'oldest' ? { sort: filter.sort } : {}),
    ...(filter.page > 1 ? { page: String(filter.page) } : {}),
  }
}

/** The references of the queue as last shown, so the report page can go to the next or previous one (j/k). */
export const queueOrder = ref<string[]>([])

/** The queue page, reloaded (at most every half second) whenever the live feed announces a change. */
export function useInbox(filter: MaybeRefOrGetter<InboxFilter>) {
  const state = useAsync<StaffReportsPage, InboxFilter>((f) => staffApi.reports.queue({
    status: f.status,
    category: f.category ? [f.category] : undefined,
    zoneId: f.zoneId ?? undefined,
    queue: f.queue ?? undefined,
    overdue: f.overdue ? true : undefined,
    // The server sorts the whole queue, so page two continues the order of page one.
    sort: f.sort === 'oldest' ? undefined : f.sort,
    page: f.page,
    pageSize,
  }), () => toValue(filter))

  let timer: ReturnType<typeof setTimeout> | undefined
  const reloadSoon = () => {
    clearTimeout(timer)
    timer = setTimeout(() => void state.reload(), 500)
  }
  const off = listen({ onEvent: (event) => { if (event.reportId !== undefined || event.reference) reloadSoon() }, onResync: reloadSoon })
  onBeforeUnmount(() => {
    off()
    clearTimeout(timer)
  })
  return state
}
