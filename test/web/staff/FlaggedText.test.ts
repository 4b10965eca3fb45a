import { describe, expect, it } from 'vitest'
import type { Flag } from '../../../shared/src/api/moderation.js'
import FlaggedText from '../../../web/src/staff/moderation/FlaggedText.vue'
import { locale, mountStaff } from '../helpers/mount'

const fr = locale('fr')
const phone: Flag = { id: 1, kind: 'phone', group: 'personal_data', reason: 'phone number (BE)', start: 11, end: 24, match: '0470 12 34 56', relatedReference: null, flaggedBy: null, details: {} }

describe('FlaggedText', () => {
  it('marks each flagged passage where it stands and names the flag for screen readers', async () => {
    const text = 'Appelez le 0470 12 34 56 ce soir'
    const { wrapper, missing } = await mountStaff(FlaggedText, 'fr', { props: { text, flags: [phone], language: 'fr' } })

    const mark = wrapper.find('mark')
    expect(mark.classes()).toContain('flag--personal_data')
    expect(mark.text()).toContain('0470 12 34 56')
    expect(mark.find('.visually-hidden').text()).toBe(`(${fr.moderation.flag_group.personal_data}: ${fr.moderation.flag.phone})`)
    expect(wrapper.find('p').attributes('lang')).toBe('fr')
    expect(wrapper.find('p').text().replace(/\s*\(.*\)/, '')).toBe(text)
    expect(missing).toEqual([])
  })
})
