import { afterEach, describe, expect, it } from 'vitest'
import ErasePanel from '../../web/src/resident/ErasePanel.vue'
import { locale, mountIn } from './helpers/mount'

const ar = locale('ar')
afterEach(() => localStorage.clear())

describe('ErasePanel', () => {
  it('says what goes and what stays, and erases only after a second, explicit yes', async () => {
    const { wrapper, missing } = await mountIn(ErasePanel, 'ar', { attachTo: document.body })
    expect(wrapper.find('h2').text()).toBe(ar.ui.follow_up.erase_title)
    expect(wrapper.text()).toContain(ar.ui.follow_up.erase_intro)

    await wrapper.find('button').trigger('click')
    expect(wrapper.emitted('erase')).toBeUndefined()
    expect(wrapper.text()).toContain(ar.ui.follow_up.erase_confirm)
    // The safe answer has the focus, so a second Enter deletes nothing.
    expect((document.activeElement as HTMLElement).textContent?.trim()).toBe(ar.ui.follow_up.erase_cancel)

    await wrapper.findAll('button').find((b) => b.text() === ar.ui.follow_up.erase_cancel)!.trigger('click')
    expect(wrapper.emitted('erase')).toBeUndefined()
    expect(wrapper.text()).not.toContain(ar.ui.follow_up.erase_confirm)

    await wrapper.find('button').trigger('click')
    await wrapper.findAll('button').find((b) => b.text() === ar.ui.follow_up.erase_yes)!.trigger('click')
    expect(wrapper.emitted('erase')).toEqual([[]])
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('shows the server’s refusal and holds both answers while erasing', async () => {
    const { wrapper } = await mountIn(ErasePanel, 'ar', { props: { sending: true, error: ar.errors.NOT_FOUND } })
    await wrapper.find('button').trigger('click')
    expect(wrapper.find('[role="alert"]').text()).toBe(ar.errors.NOT_FOUND)
    const buttons = wrapper.findAll('.erase__confirm button')
    expect(buttons.map((b) => b.attributes('disabled'))).toEqual(['', ''])
    expect(buttons[1]!.text()).toBe(ar.ui.loading)
    wrapper.unmount()
  })
})
