/**
 * The words selected inside `container`, with their UTF-16 offset in its visible text: the offsets the server's flags
 * use. Screen-reader-only labels inside the text (`.visually-hidden`, as FlaggedText adds to its marks) are not part
 * of the resident's words, so they are left out of both.
 */
export function selectedPassage(container: HTMLElement, selection: Selection | null): { passage: string; start: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null
  const range = selection.getRangeAt(0)
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null
  const before = container.ownerDocument.createRange()
  before.selectNodeContents(container)
  before.setEnd(range.startContainer, range.startOffset)
  const passage = visibleText(range.cloneContents())
  return passage.trim() ? { passage, start: visibleText(before.cloneContents()).length } : null
}

function visibleText(fragment: DocumentFragment): string {
  for (const hidden of fragment.querySelectorAll('.visually-hidden')) hidden.remove()
  return fragment.textContent ?? ''
}
