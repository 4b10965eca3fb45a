import { describe, expect, it } from 'vitest'
import { createI18n, switchLanguage } from '../../../web/src/i18n'
import { loadStaffTexts } from '../../../web/src/staff/texts'
import { locale } from '../helpers/mount'

describe('the staff texts, apart from the residents\'', () => {
  it('are not in the language chunk a resident loads, and join it when the staff pages load', async () => {
    const i18next = await createI18n('nl')
    expect(i18next.exists('ui.staff.nav.inbox')).toBe(false)
    expect(i18next.t('ui.nav.report')).toBe(locale('nl').ui.nav.report)

    await loadStaffTexts(i18next)
    expect(i18next.t('ui.staff.nav.inbox')).toBe(locale('nl').ui.staff.nav.inbox)
    expect(i18next.t('ui.nav.report')).toBe(locale('nl').ui.nav.report)
  })

  it('follow a change of language on the staff pages', async () => {
    const i18next = await createI18n('nl')
    await loadStaffTexts(i18next)
    await switchLanguage(i18next, 'ar')
    expect(i18next.t('ui.staff.nav.inbox')).toBe(locale('ar').ui.staff.nav.inbox)
    expect(i18next.t('ui.nav.report')).toBe(locale('ar').ui.nav.report)
    localStorage.clear()
  })
})
