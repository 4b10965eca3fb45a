import type { Rectangle } from '@nabij/shared/api/moderation'

export interface Point {
  x: number
  y: number
}

const clamp = (value: number) => Math.min(1, Math.max(0, value))

/** A pointer position inside an element, as fractions of its size (what the redaction API expects). */
export function fractionOf(clientX: number, clientY: number, box: Pick<DOMRect, 'left' | 'top' | 'width' | 'height'>): Point {
  return { x: clamp((clientX - box.left) / box.width), y: clamp((clientY - box.top) / box.height) }
}

/** The rectangle spanned by two corners, whichever way it was drawn. */
export function rectangleBetween(a: Point, b: Point): Rectangle {
  const x = Math.min(a.x, b.x)
  const y = Math.min(a.y, b.y)
  return { x, y, width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y) }
}

/** Too small to hide anything: a click, not a drag. */
export function isUsable(rectangle: Rectangle): boolean {
  return rectangle.width >= 0.01 && rectangle.height >= 0.01
}

/** Keeps a rectangle edited by hand inside the photo. */
export function normalise(rectangle: Rectangle): Rectangle {
  const x = clamp(rectangle.x)
  const y = clamp(rectangle.y)
  return { x, y, width: Math.max(0.01, Math.min(1 - x, rectangle.width)), height: Math.max(0.01, Math.min(1 - y, rectangle.height)) }
}
