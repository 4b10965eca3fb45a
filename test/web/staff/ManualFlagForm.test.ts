import { describe, expect, it } from 'vitest'
import type { Flag } from '../../../shared/src/api/moderation.js'
import FlaggedText from '../../../web/src/staff/moderation/FlaggedText.vue'
import ManualFlagForm from '../../../web/src/staff/moderation/ManualFlagForm.vue'
import { selectedPassage } from '../../../web/src/staff/moderation/textSelection'
import { locale, mountStaff } from '../helpers/mount'

const text = 'Bel 0470 12 34 56: Karel Janssens dreigt de hond van Karel te vergiftigen.'
const phone: Flag = { id: 1, kind: 'phone', group: 'personal_data', reason: '', start: 4, end: 17, match: '0470 12 34 56', relatedReference: null, flaggedBy: null, details: {} }

/** Selects `length` characters of the text node that holds `words`, from where they start in it. */
function select(root: Element, words: string, length = words.length) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent!.indexOf(words)
    if (at < 0) continue
    const range = document.createRange()
    range.setStart(node, at)
    range.setEnd(node, at + length)
    document.getSelection()!.removeAllRanges()
    document.getSelection()!.addRange(range)
    return
  }
  throw new Error(`no text node holds ${words}`)
}

describe('flagging a passage by hand', () => {
  it('takes the selected words with their offset in the resident\'s text, not counting the marks\' hidden labels', async () => {
    const { wrapper } = await mountStaff(FlaggedText, 'nl', { props: { text, flags: [phone], language: 'nl' }, attachTo: document.body })
    const root = wrapper.element as HTMLElement
    // The phone number's mark carries a label for screen readers before "Karel Janssens".
    expect(root.textContent!.indexOf('Karel Janssens')).toBeGreaterThan(text.indexOf('Karel Janssens'))

    select(root, 'Karel Janssens')
    expect(selectedPassage(root, document.getSelection())).toEqual({ passage: 'Karel Janssens', start: text.indexOf('Karel Janssens') })
    select(root, 'Karel te', 5)
    expect(selectedPassage(root, document.getSelection())).toEqual({ passage: 'Karel', start: text.lastIndexOf('Karel') })
    // A selection outside the text is not taken.
    document.getSelection()!.removeAllRanges()
    expect(selectedPassage(root, document.getSelection())).toBeNull()
    wrapper.unmount()
  })

  it('sends the kind, the exact words, where they stand and the note; asks for words first', async () => {
    const nl = locale('nl')
    const source = await mountStaff(FlaggedText, 'nl', { props: { text, flags: [phone], language: 'nl' }, attachTo: document.body })
    const { wrapper, missing } = await mountStaff(ManualFlagForm, 'nl', { props: { text, source: source.wrapper.element as HTMLElement }, attachTo: document.body })

    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('[role="alert"]').text()).toBe(nl.ui.staff.moderation.flag_passage_required)
    await wrapper.find('button[type="button"]').trigger('click')
    expect(wrapper.find('[role="alert"]').text()).toBe(nl.ui.staff.moderation.flag_selection_empty)

    select(source.wrapper.element, 'Karel te', 5)
    await wrapper.find('button[type="button"]').trigger('click')
    expect((wrapper.find('#flag-passage').element as HTMLTextAreaElement).value).toBe('Karel')
    await wrapper.find('#flag-kind').setValue('person_name')
    await wrapper.find('#flag-note').setValue('naam van de buurman')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('add')?.[0]).toEqual([{ kind: 'person_name', passage: 'Karel', start: text.lastIndexOf('Karel'), note: 'naam van de buurman' }])

    // Typed words carry no offset: the server takes their first occurrence.
    await wrapper.find('#flag-passage').setValue('dreigt')
    await wrapper.find('#flag-kind').setValue('threat')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('add')?.[1]).toEqual([{ kind: 'threat', passage: 'dreigt', note: 'naam van de buurman' }])
    expect(missing).toEqual([])
    wrapper.unmount()
    source.wrapper.unmount()
  })
})
