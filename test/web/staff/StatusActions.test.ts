import { flushPromises } from '@vue/test-utils'
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

  it('previews the closing answer in the reporter\'s language and sends the officer\'s translation with it', async () => {
    const tr = locale('tr')
    const { wrapper, missing } = await mountStaff(StatusActions, 'nl', { props: { status: 'in_progress', residentLanguage: 'tr' } })
    await wrapper.find('button[data-status="closed"]').trigger('click')

    // A canned answer: the Turkish text, loaded on demand as over the network.
    await wrapper.find('#close-canned').setValue('thanks')
    await expect.poll(async () => { await flushPromises(); return wrapper.find('.composer__preview-text').exists() }).toBe(true)
    expect(wrapper.find('.composer__preview-text').text()).toBe(tr.update.thanks)
    expect(wrapper.find('.composer__preview-text').attributes('lang')).toBe('tr')

    // Own words in Dutch: a translation field for Turkish, and the preview shows what the reporter reads.
    await wrapper.find('input[name="close-answer"][value="text"]').setValue()
    await wrapper.find('#close-text').setValue('De fietswrakken zijn weggehaald.')
    expect(wrapper.find('.composer__preview-text').text()).toBe('De fietswrakken zijn weggehaald.')
    await wrapper.find('#close-translation').setValue('Bisiklet enkazları kaldırıldı.')
    expect(wrapper.find('.composer__preview-text').text()).toBe('Bisiklet enkazları kaldırıldı.')
    expect(wrapper.find('.composer__preview-text').attributes('lang')).toBe('tr')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('change')?.[0]).toEqual([{
      status: 'closed',
      closeReason: 'resolved',
      answer: { text: 'De fietswrakken zijn weggehaald.', language: 'nl', translations: { tr: 'Bisiklet enkazları kaldırıldı.' } },
    }])
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('asks for no translation when the officer answers in the reporter\'s language', async () => {
    const { wrapper } = await mountStaff(StatusActions, 'nl', { props: { status: 'in_progress', residentLanguage: 'nl' } })
    await wrapper.find('button[data-status="closed"]').trigger('click')
    await wrapper.find('input[name="close-answer"][value="text"]').setValue()
    await wrapper.find('#close-text').setValue('Opgelost.')
    expect(wrapper.find('#close-translation').exists()).toBe(false)
    expect(wrapper.find('.composer__preview-text').attributes('lang')).toBe('nl')
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
