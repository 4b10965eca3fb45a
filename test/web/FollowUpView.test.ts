import { afterEach, describe, expect, it } from 'vitest'
import FollowUpView from '../../web/src/resident/FollowUpView.vue'
import { locale, mountIn } from './helpers/mount'

const nl = locale('nl')

afterEach(() => {
  localStorage.clear()
  sessionStorage.clear()
})

describe('FollowUpView, before a report is opened', () => {
  it('asks for the receipt code with an empty field when the device remembers nothing', async () => {
    const { wrapper, missing } = await mountIn(FollowUpView, 'nl')
    expect((wrapper.find('#receipt-code').element as HTMLInputElement).value).toBe('')
    expect(wrapper.text()).not.toContain(nl.ui.follow_up.remembered)
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('fills in the code the resident chose to remember, and forgets it on request', async () => {
    localStorage.setItem('nabij.receipt', '4821093755120046')
    const { wrapper } = await mountIn(FollowUpView, 'nl')
    expect((wrapper.find('#receipt-code').element as HTMLInputElement).value).toBe('4821 0937 5512 0046')
    expect(wrapper.text()).toContain(nl.ui.follow_up.remembered)
    await wrapper.findAll('button').find((b) => b.text() === nl.ui.follow_up.forget)!.trigger('click')
    expect(localStorage.getItem('nabij.receipt')).toBeNull()
    expect(wrapper.text()).not.toContain(nl.ui.follow_up.remembered)
    wrapper.unmount()
  })

  it('asks for a code before sending anything', async () => {
    const { wrapper } = await mountIn(FollowUpView, 'nl')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#receipt-code-error').text()).toBe(nl.ui.follow_up.code_required)
    expect(wrapper.find('#receipt-code').attributes('aria-invalid')).toBe('true')
    wrapper.unmount()
  })
})
