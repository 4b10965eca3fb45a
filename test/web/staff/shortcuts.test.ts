import { describe, expect, it } from 'vitest'
import { shortcutFor, type Shortcut } from '../../../web/src/staff/useShortcuts'

const shortcuts: Shortcut[] = [{ key: 'j', label: 'ui.staff.shortcuts.next', run: () => undefined }]

function keydown(key: string, target: EventTarget, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, ...init })
  Object.defineProperty(event, 'target', { value: target })
  return event
}

describe('single-key shortcuts', () => {
  it('answer a key pressed outside any field', () => {
    expect(shortcutFor(keydown('j', document.body), shortcuts)?.key).toBe('j')
  })

  it('never fire while someone types in a field', () => {
    for (const tag of ['input', 'textarea', 'select']) {
      expect(shortcutFor(keydown('j', document.createElement(tag)), shortcuts)).toBeUndefined()
    }
    const editable = document.createElement('div')
    editable.contentEditable = 'true'
    document.body.append(editable)
    expect(shortcutFor(keydown('j', editable), shortcuts)).toBeUndefined()
    editable.remove()
  })

  it('leave the browser\'s own combinations alone', () => {
    expect(shortcutFor(keydown('j', document.body, { ctrlKey: true }), shortcuts)).toBeUndefined()
    expect(shortcutFor(keydown('j', document.body, { metaKey: true }), shortcuts)).toBeUndefined()
    expect(shortcutFor(keydown('k', document.body), shortcuts)).toBeUndefined()
  })
})
