import { describe, expect, it } from 'vitest'
import type { Flag } from '../../../shared/src/api/moderation.js'
import FlagList from '../../../web/src/staff/moderation/FlagList.vue'
import { locale, mountStaff, rawKey } from '../helpers/mount'

let id = 0
const aFlag = (kind: Flag['kind'], group: Flag['group'], details: Flag['details'], more: Partial<Flag> = {}): Flag =>
  ({ id: ++id, kind, group, reason: 'English reason', start: 0, end: 4, match: 'text', relatedReference: null, flaggedBy: null, details, ...more })

const flags = [
  aFlag('phone', 'personal_data', { country: 'BE', type: 'mobile' }),
  aFlag('slur', 'abuse', { target: 'north_african' }),
  aFlag('near_duplicate', 'duplicate', { reference: 'NB-2026-000042', similarity: 61 }, { relatedReference: 'NB-2026-000042' }),
  aFlag('language_mismatch', 'language', { detected: 'fr', declared: 'nl' }),
  aFlag('profanity', 'abuse', {}, { reason: 'profanity (LDNOOBW list, en)' }),
  aFlag('person_name', 'personal_data', {}, { reason: 'naam van de buurman', flaggedBy: 'Nadia' }),
  aFlag('email', 'personal_data', {}, { reason: 'e-mail address' }),
  aFlag('national_number', 'personal_data', { country: 'BE' }, { reason: 'Belgian national register number (checksum valid)' }),
]

describe('the flag list', () => {
  it.each(['ar', 'tr', 'pl', 'fr'] as const)('says why each flag was set in the moderator\'s language (%s)', async (language) => {
    const messages = locale(language)
    const { wrapper, missing } = await mountStaff(FlagList, language, { props: { flags } })
    const items = wrapper.findAll('li').map((li) => li.text())
    const region = new Intl.DisplayNames([language], { type: 'region' }).of('BE')!
    expect(items[0]).toContain(region)
    expect(items[0]).toContain(messages.ui.staff.phone_type.mobile)
    expect(items[1]).toContain(messages.ui.staff.slur_target.north_african)
    expect(items[2]).toContain('NB-2026-000042')
    expect(items[2]).toContain('61')
    expect(items[3]).toContain(new Intl.DisplayNames([language], { type: 'language' }).of('fr')!)
    // A flag stored before flags carried details keeps its English reason; a hand-set one shows the moderator's note.
    expect(items[4]).toContain('profanity (LDNOOBW list, en)')
    expect(items[5]).toContain('naam van de buurman')
    expect(items[5]).toContain(messages.ui.staff.moderation.flag_by.replace('{{name}}', 'Nadia'))
    expect(items.slice(0, 4).join(' ')).not.toContain('English reason')
    // An e-mail address needs no reason beside its kind; a national number names its country.
    expect(items[6]).not.toContain('e-mail address')
    expect(items[7]).toContain(region)
    expect(items[7]).not.toContain('checksum')
    expect(wrapper.text()).not.toMatch(rawKey)
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('offers to take back a hand-set flag only', async () => {
    const { wrapper } = await mountStaff(FlagList, 'en', { props: { flags } })
    const buttons = wrapper.findAll('button')
    expect(buttons).toHaveLength(1)
    await buttons[0]!.trigger('click')
    expect(wrapper.emitted('remove')?.[0]).toEqual([flags[5]])
    wrapper.unmount()
  })
})
