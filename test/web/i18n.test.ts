import { afterEach, describe, expect, it } from 'vitest'
import { locale } from './helpers/mount'
import { createI18n, initialLanguage, switchLanguage } from '../../web/src/i18n'

const ar = locale('ar')

afterEach(() => localStorage.clear())

describe('the interface language', () => {
  it('comes from the browser when none was chosen, else Dutch', () => {
    Object.defineProperty(navigator, 'languages', { value: ['pl-PL', 'en'], configurable: true })
    expect(initialLanguage()).toBe('pl')
    Object.defineProperty(navigator, 'languages', { value: ['ja-JP'], configurable: true })
    expect(initialLanguage()).toBe('nl')
  })

  it('once chosen, is remembered on the device and wins over the browser', async () => {
    const i18next = await createI18n('en')
    await switchLanguage(i18next, 'tr')
    expect(localStorage.getItem('nabij.language')).toBe('tr')
    Object.defineProperty(navigator, 'languages', { value: ['de-DE'], configurable: true })
    expect(initialLanguage()).toBe('tr')
  })

  it('turns the page right-to-left for Arabic and back', async () => {
    const i18next = await createI18n('nl')
    expect([document.documentElement.lang, document.documentElement.dir]).toEqual(['nl', 'ltr'])
    await switchLanguage(i18next, 'ar')
    expect([document.documentElement.lang, document.documentElement.dir]).toEqual(['ar', 'rtl'])
    expect(i18next.t('ui.report.title')).toBe(ar.ui.report.title)
    await switchLanguage(i18next, 'uk')
    expect(document.documentElement.dir).toBe('ltr')
  })

  it('loads only the language in use', async () => {
    const i18next = await createI18n('es')
    expect(i18next.hasResourceBundle('es', 'translation')).toBe(true)
    expect(i18next.hasResourceBundle('nl', 'translation')).toBe(false)
  })
})
