import { afterEach, describe, expect, it } from 'vitest'
import type { TimelineItem } from '../../shared/src/api/followup.js'
import ReportTimeline from '../../web/src/components/ReportTimeline.vue'
import { locale, mountIn, rawKey } from './helpers/mount'

const nl = locale('nl')
afterEach(() => localStorage.clear())

const item = (id: number, at: string, rest: Partial<TimelineItem>): TimelineItem =>
  ({ id, at, author: 'staff', kind: 'message', visibility: 'reporter', text: null, language: null, photos: [], ...rest })

describe('ReportTimeline, where content was erased', () => {
  it('says in words what was erased and when, in its place among the updates, instead of empty entries', async () => {
    const items = [
      item(1, '2026-11-02T09:00:00.000Z', { text: 'We komen kijken.', language: 'nl' }),
      item(2, '2026-11-03T09:00:00.000Z', { author: 'reporter', photosErased: true }),
      item(3, '2026-11-20T09:00:00.000Z', { kind: 'status', cannedKey: 'close_reason.resolved' }),
    ]
    const erased = [
      { part: 'content' as const, reason: 'request' as const, at: '2026-11-05T14:00:00.000Z' },
      { part: 'contact' as const, reason: 'retention' as const, at: '2027-02-18T03:00:00.000Z' },
    ]
    const { wrapper, missing } = await mountIn(ReportTimeline, 'nl', { props: { items, token: 't', erased } })

    const texts = wrapper.findAll('.timeline__text').map((p) => p.text())
    expect(texts).toHaveLength(5)
    expect(texts[0]).toBe('We komen kijken.')
    expect(texts[1]).toBe(nl.ui.timeline.photos_erased)
    expect(texts[2]).toBe(nl.ui.timeline.erased_content_request)
    expect(texts[4]).toBe(nl.ui.timeline.erased_contact_retention)
    const erasedEntry = wrapper.findAll('li')[2]!
    expect(erasedEntry.find('strong').text()).toBe(nl.ui.timeline.author_system)
    expect(erasedEntry.find('time').attributes('datetime')).toBe(erased[0]!.at)
    expect(wrapper.text()).not.toContain('—')
    expect(wrapper.text()).not.toMatch(rawKey)
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('shows a plain timeline as before when nothing was erased', async () => {
    const { wrapper } = await mountIn(ReportTimeline, 'nl', { props: { items: [item(1, '2026-11-02T09:00:00.000Z', { text: 'Dag', language: 'nl' })], token: 't' } })
    expect(wrapper.findAll('li')).toHaveLength(1)
    expect(wrapper.find('.timeline__text--erased').exists()).toBe(false)
    wrapper.unmount()
  })
})
