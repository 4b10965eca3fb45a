import { afterEach, describe, expect, it } from 'vitest'
import ZoneOfficers from '../../web/src/public/ZoneOfficers.vue'
import { locale, mountIn, rawKey } from './helpers/mount'

const ar = locale('ar')
afterEach(() => localStorage.clear())

const officers = [
  { firstName: 'Sara', primary: true, photoUrl: '/api/public/officers/7/photo?v=1a2b3c4d' },
  { firstName: 'élodie', primary: false, photoUrl: null },
]

describe('ZoneOfficers', () => {
  it('shows a photo with alt text for an officer who chose one, and the initial for one who did not', async () => {
    const { wrapper, missing } = await mountIn(ZoneOfficers, 'ar', { props: { officers } })
    const items = wrapper.findAll('li')
    expect(items).toHaveLength(2)

    const img = items[0]!.find('img')
    expect(img.attributes('src')).toBe(officers[0]!.photoUrl)
    expect(img.attributes('alt')).toBe(ar.ui.neighbourhood.officer_photo_alt.replace('{{name}}', 'Sara'))
    expect(items[0]!.text()).toContain(ar.ui.neighbourhood.officer_primary)

    expect(items[1]!.find('img').exists()).toBe(false)
    const initial = items[1]!.find('.officers__initial')
    expect(initial.text()).toBe('É')
    expect(initial.attributes('aria-hidden')).toBe('true')
    expect(items[1]!.text()).toContain('élodie')
    expect(wrapper.text()).not.toMatch(rawKey)
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('falls back to the initial when a photo cannot be loaded', async () => {
    const { wrapper } = await mountIn(ZoneOfficers, 'ar', { props: { officers: [officers[0]!] } })
    await wrapper.find('img').trigger('error')
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.find('.officers__initial').text()).toBe('S')
    wrapper.unmount()
  })
})
