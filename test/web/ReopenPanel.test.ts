import { afterEach, describe, expect, it } from 'vitest'
import ReopenPanel from '../../web/src/resident/ReopenPanel.vue'
import { locale, mountIn } from './helpers/mount'

const fr = locale('fr')
afterEach(() => localStorage.clear())

const until = '2026-12-05T10:00:00.000Z'

describe('ReopenPanel', () => {
  it('says until when the report may be reopened and asks for a reason before reopening', async () => {
    const { wrapper, missing } = await mountIn(ReopenPanel, 'fr', { props: { until }, attachTo: document.body })
    const day = new Intl.DateTimeFormat('fr', { dateStyle: 'long' }).format(new Date(until))
    expect(wrapper.text()).toContain(fr.ui.follow_up.reopen_intro.replace('{{date}}', day))
    expect(wrapper.find('textarea').exists()).toBe(false)

    await wrapper.find('button').trigger('click')
    const box = wrapper.find('#reopen-reason')
    expect(wrapper.find('label[for="reopen-reason"]').text()).toBe(fr.ui.follow_up.reopen_reason_label)
    expect(document.activeElement).toBe(box.element)

    await box.setValue('   ')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#reopen-reason-error').text()).toBe(fr.ui.follow_up.reopen_reason_required)
    expect(box.attributes('aria-invalid')).toBe('true')
    expect(wrapper.emitted('reopen')).toBeUndefined()

    await box.setValue('  La musique a repris hier soir.  ')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('reopen')).toEqual([['La musique a repris hier soir.']])
    expect(wrapper.find('#reopen-reason-error').exists()).toBe(false)
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('shows the server\'s refusal and holds the buttons while sending', async () => {
    const { wrapper } = await mountIn(ReopenPanel, 'fr', { props: { until, sending: true, error: fr.errors.REOPEN_WINDOW_PASSED } })
    await wrapper.find('button').trigger('click')
    expect(wrapper.find('[role="alert"]').text()).toBe(fr.errors.REOPEN_WINDOW_PASSED)
    expect(wrapper.find('button[type="submit"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('button[type="submit"]').text()).toBe(fr.ui.loading)
    await wrapper.findAll('button').find((b) => b.text() === fr.ui.follow_up.reopen_cancel)!.trigger('click')
    expect(wrapper.find('form').exists()).toBe(true) // cancelling waits for the request in flight
    wrapper.unmount()
  })
})
