import { onBeforeUnmount, onMounted, shallowReactive } from 'vue'

export interface Shortcut {
  /** The key as `KeyboardEvent.key` names it: 'j', '/', '?'. */
  key: string
  /** Locale key of what it does, for the shortcut list. */
  label: string
  run: () => void
}

/** Shortcuts of the pages on screen, for the "?" list. */
export const activeShortcuts = shallowReactive(new Map<symbol, Shortcut[]>())

/** Typing in a field never triggers a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)
}

export function shortcutFor(event: KeyboardEvent, shortcuts: readonly Shortcut[]): Shortcut | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) return undefined
  return shortcuts.find((s) => s.key === event.key)
}

/** Single-key shortcuts while the component is on screen. */
export function useShortcuts(shortcuts: () => Shortcut[]): void {
  const id = Symbol('shortcuts')
  const onKey = (event: KeyboardEvent) => {
    const hit = shortcutFor(event, shortcuts())
    if (!hit) return
    event.preventDefault()
    hit.run()
  }
  onMounted(() => {
    activeShortcuts.set(id, shortcuts())
    window.addEventListener('keydown', onKey)
  })
  onBeforeUnmount(() => {
    activeShortcuts.delete(id)
    window.removeEventListener('keydown', onKey)
  })
}
