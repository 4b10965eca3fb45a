import { describe, expect, it } from 'vitest'
import type { StaffReportSummary } from '../../../shared/src/api/staff.js'
import { openStatuses } from '../../../shared/src/domain/statuses.js'
import { filterFromQuery, queryFromFilter, sortItems } from '../../../web/src/staff/inbox/useInbox'

const summary = (reference: string, createdAt: string, overdue: StaffReportSummary['overdue'], dueAt: string | null = null): StaffReportSummary => ({
  reference, category: 'vandalism', status: 'new', excerpt: '', anonymous: true, zoneId: 1, zoneName: 'Flagey', queue: 'zone',
  assignedStaffId: null, moderationState: 'pending', overdue, dueAt, createdAt,
})

describe('the inbox filter in the address', () => {
  it('defaults to every open status, oldest first, page one', () => {
    expect(filterFromQuery({})).toEqual({ status: [...openStatuses], category: null, zoneId: null, queue: null, overdue: false, sort: 'oldest', page: 1 })
    expect(queryFromFilter(filterFromQuery({}))).toEqual({})
  })

  it('reads back what it wrote', () => {
    const filter = { status: ['closed' as const], category: 'drugs' as const, zoneId: 7, queue: 'zone' as const, overdue: true, sort: 'overdue' as const, page: 3 }
    const query = queryFromFilter(filter)

    expect(query).toEqual({ status: 'closed', category: 'drugs', zone: '7', queue: 'zone', overdue: '1', sort: 'overdue', page: '3' })
    expect(filterFromQuery(query as Record<string, string>)).toEqual(filter)
  })

  it('ignores values it does not know, as a hand-edited address may carry', () => {
    expect(filterFromQuery({ status: 'lost,new', category: 'aliens', zone: '-3', queue: 'mars', sort: 'random', page: 'x' })).toEqual({
      status: ['new'], category: null, zoneId: null, queue: null, overdue: false, sort: 'oldest', page: 1,
    })
  })
})

describe('sorting the page on screen', () => {
  const items = [
    summary('A', '2026-01-01T10:00:00Z', 'on_time', '2026-01-09T00:00:00Z'),
    summary('B', '2026-01-02T10:00:00Z', 'badly_overdue'),
    summary('C', '2026-01-03T10:00:00Z', 'overdue', '2026-01-05T00:00:00Z'),
  ]

  it('puts the most overdue first, then the oldest', () => {
    expect(sortItems(items, 'overdue').map((i) => i.reference)).toEqual(['B', 'C', 'A'])
  })

  it('puts the nearest due date first and reports without one last', () => {
    expect(sortItems(items, 'due').map((i) => i.reference)).toEqual(['C', 'A', 'B'])
  })

  it('orders by filing time both ways', () => {
    expect(sortItems(items, 'newest').map((i) => i.reference)).toEqual(['C', 'B', 'A'])
    expect(sortItems([...items].reverse(), 'oldest').map((i) => i.reference)).toEqual(['A', 'B', 'C'])
  })
})
