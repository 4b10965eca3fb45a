import { afterEach, describe, expect, it } from 'vitest'
import { statuses, transitions } from '../../../shared/src/domain/statuses.js'
import StatusActions from '../../../web/src/staff/report/StatusActions.vue'
import { locale, mountStaff } from '../helpers/mount'

const en = locale('en')
afterEach(() => localStorage.clear())

describe('StatusActions', () => {
  it.each(statuses)('offers exactly the moves the transition map allows from %s', async (status) => {
    const { wrapper, missing } = await mountStaff(StatusActions, 'en', { props: { status } })

    const offered = wrapper.findAll('button[data-status]').map((b) => b.attributes('data-status'))
    expect(offered).toEqual([...transitions[status]])
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('asks for a reason and an answer before closing, and sends them together', async () => {
    const { wrapper } = await mountStaff(StatusActions, 'en', { props: { status: 'in_progress' } })

    await wrapper.find('button[data-status="closed"]').trigger('click')
    expect(wrapper.emitted('change')).toBeUndefined()
    await wrapper.find('#close-reason').setValue('no_action_possible')
    await wrapper.find('input[name="close-answer"][value="text"]').setValue()
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('[role="alert"]').text()).toBe(en.ui.staff.status_actions.answer_required)
    expect(wrapper.emitted('change')).toBeUndefined()

    await wrapper.find('#close-text').setValue('We checked the place twice; nothing could be done.')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('change')?.[0]).toEqual([{
      status: 'closed',
      closeReason: 'no_action_possible',
      answer: { text: 'We checked the place twice; nothing could be done.', language: 'en' },
    }])
    wrapper.unmount()
  })

  it('moves at once for every other status', async () => {
    const { wrapper } = await mountStaff(StatusActions, 'en', { props: { status: 'new' } })
    await wrapper.find('button[data-status="acknowledged"]').trigger('click')
    expect(wrapper.emitted('change')?.[0]).toEqual([{ status: 'acknowledged' }])
    expect(wrapper.find('button[data-status="acknowledged"]').text()).toBe(en.ui.staff.status_actions.to_acknowledged)
    wrapper.unmount()
  })
})
