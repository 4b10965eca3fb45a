import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import UpdateComposer from '../../../web/src/staff/report/UpdateComposer.vue'
import { locale, mountStaff } from '../helpers/mount'

const fr = locale('fr')
const props = { reference: 'NB-2026-000042', residentLanguage: 'fr', anonymous: true }
afterEach(() => sessionStorage.clear())

describe('UpdateComposer', () => {
  it('previews a canned update in the reporter\'s language while the officer works in Dutch', async () => {
    const { wrapper, missing } = await mountStaff(UpdateComposer, 'nl', { props })

    await wrapper.find('#composer-canned').setValue('patrols_increased')
    // The French texts load on demand, as they would over the network.
    await expect.poll(async () => { await flushPromises(); return wrapper.find('.composer__preview-text').exists() }).toBe(true)
    const preview = wrapper.find('.composer__preview-text')
    expect(preview.text()).toBe(fr.update.patrols_increased)
    expect(preview.attributes('lang')).toBe('fr')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('post')?.[0]).toEqual([{ cannedKey: 'patrols_increased', visibility: 'reporter' }])
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('sends a question to the reporter only, waiting for the answer, with the officer\'s translation', async () => {
    const { wrapper } = await mountStaff(UpdateComposer, 'nl', { props })
    await wrapper.find('input[name="composer-kind"][value="question"]').setValue()
    await wrapper.find('#composer-text').setValue('Sinds wanneer staat de auto daar?')
    await wrapper.find('#composer-translation').setValue('Depuis quand la voiture est-elle là ?')
    expect(wrapper.find('.composer__preview-text').text()).toBe('Depuis quand la voiture est-elle là ?')
    await wrapper.find('form').trigger('submit')

    expect(wrapper.emitted('post')?.[0]).toEqual([{
      text: 'Sinds wanneer staat de auto daar?',
      language: 'nl',
      translations: { fr: 'Depuis quand la voiture est-elle là ?' },
      visibility: 'reporter',
      question: true,
      waitForReporter: true,
    }])
    wrapper.unmount()
  })

  it('keeps an internal note internal and refuses an empty one', async () => {
    const nl = locale('nl')
    const { wrapper } = await mountStaff(UpdateComposer, 'nl', { props })
    await wrapper.find('input[name="composer-kind"][value="note"]').setValue()
    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('[role="alert"]').text()).toBe(nl.ui.staff.composer.text_required)
    expect(wrapper.emitted('post')).toBeUndefined()

    await wrapper.find('#composer-text').setValue('Buurman heeft camerabeelden.')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('post')?.[0]).toEqual([{ text: 'Buurman heeft camerabeelden.', language: 'nl', visibility: 'internal' }])
    wrapper.unmount()
  })

  it('gives back a draft after the page was left, for instance when the session ended', async () => {
    const first = await mountStaff(UpdateComposer, 'nl', { props })
    await first.wrapper.find('input[name="composer-kind"][value="message"]').setValue()
    await first.wrapper.find('#composer-text').setValue('Half geschreven antwoord')
    first.wrapper.unmount()

    const again = await mountStaff(UpdateComposer, 'nl', { props })
    expect((again.wrapper.find('#composer-text').element as HTMLTextAreaElement).value).toBe('Half geschreven antwoord')
    again.wrapper.unmount()
  })
})
