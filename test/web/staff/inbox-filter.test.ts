import { describe, expect, it } from 'vitest'
import { openStatuses } from '../../../shared/src/domain/statuses.js'
import { filterFromQuery, queryFromFilter } from '../../../web/src/staff/inbox/useInbox'

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
