import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import ReceiptPanel from '../../web/src/resident/ReceiptPanel.vue'
import { formatReceipt, normaliseReceipt, receiptGroups } from '../../web/src/resident/receipt-storage'
import { locale, mountIn } from './helpers/mount'

const nl = locale('nl')

const code = '4821 0937 5512 0046'

afterEach(() => localStorage.clear())

async function open() {
  return mountIn(ReceiptPanel, 'nl', { props: { reference: 'NB-2026-000123', code }, attachTo: document.body })
}

describe('ReceiptPanel', () => {
  it('shows the code large in four groups of four, with the warning that it cannot be recovered', async () => {
    const { wrapper, missing } = await open()
    expect(wrapper.findAll('.receipt__group').map((g) => g.text())).toEqual(['4821', '0937', '5512', '0046'])
    expect(wrapper.find('.receipt__code').text().replace(/\s+/g, ' ')).toBe(code)
    expect(wrapper.text()).toContain(nl.ui.receipt.warning)
    expect(wrapper.text()).toContain('NB-2026-000123')
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('asks for the last four digits and refuses others', async () => {
    const { wrapper } = await open()
    await wrapper.findAll('button').find((b) => b.text() === nl.ui.receipt.saved_button)!.trigger('click')
    await wrapper.find('#receipt-last-four').setValue('1234')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('#receipt-check-error').text()).toBe(nl.ui.receipt.check_wrong)
    expect(wrapper.find('#receipt-last-four').attributes('aria-invalid')).toBe('true')

    await wrapper.find('#receipt-last-four').setValue('0046')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain(nl.ui.receipt.done_title)
    expect(wrapper.find('.receipt__code').exists()).toBe(false)
    expect(wrapper.emitted('confirmed')).toHaveLength(1)
    wrapper.unmount()
  })

  it('keeps the code on the device only when the resident ticks "remember on this device"', async () => {
    const first = await open()
    await first.wrapper.findAll('button').find((b) => b.text() === nl.ui.receipt.saved_button)!.trigger('click')
    await first.wrapper.find('#receipt-last-four').setValue('0046')
    await first.wrapper.find('form').trigger('submit')
    expect(localStorage.length).toBe(0)
    first.wrapper.unmount()

    const second = await open()
    await second.wrapper.findAll('button').find((b) => b.text() === nl.ui.receipt.saved_button)!.trigger('click')
    await second.wrapper.find('#receipt-last-four').setValue('0046')
    await second.wrapper.find('input[type="checkbox"]').setValue(true)
    await second.wrapper.find('form').trigger('submit')
    expect(localStorage.getItem('nabij.receipt')).toBe('4821093755120046')
    expect(second.wrapper.text()).toContain(nl.ui.receipt.done_remembered)
    second.wrapper.unmount()
  })

  it('offers the code as a small text file to download', async () => {
    const created: Blob[] = []
    const original = URL.createObjectURL
    URL.createObjectURL = (blob: Blob) => { created.push(blob); return 'blob:receipt' }
    try {
      const { wrapper } = await open()
      await wrapper.findAll('button').find((b) => b.text() === nl.ui.receipt.download)!.trigger('click')
      expect(created).toHaveLength(1)
      const text = await created[0]!.text()
      expect(text).toContain(code)
      expect(text).toContain('NB-2026-000123')
      expect(created[0]!.type).toContain('text/plain')
      wrapper.unmount()
    } finally {
      URL.createObjectURL = original
    }
  })
})

describe('receipt codes', () => {
  it('are compared and grouped whatever spaces or dashes the resident typed', () => {
    expect(normaliseReceipt(' 4821-0937 5512  0046 ')).toBe('4821093755120046')
    expect(receiptGroups('4821093755120046')).toEqual(['4821', '0937', '5512', '0046'])
    expect(formatReceipt('4821093755120046')).toBe(code)
  })
})
