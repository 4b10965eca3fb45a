import { describe, expect, it } from 'vitest'
import { fractionOf, isUsable, normalise, rectangleBetween } from '../../../web/src/staff/moderation/rectangles'

const box = { left: 100, top: 50, width: 400, height: 200 }

describe('redaction rectangles', () => {
  it('measures a pointer as fractions of the photo, clamped to its edges', () => {
    expect(fractionOf(300, 150, box)).toEqual({ x: 0.5, y: 0.5 })
    expect(fractionOf(20, 400, box)).toEqual({ x: 0, y: 1 })
  })

  it('spans the same rectangle whichever corner the drag starts from', () => {
    for (const [from, to] of [[{ x: 0.1, y: 0.2 }, { x: 0.4, y: 0.6 }], [{ x: 0.4, y: 0.6 }, { x: 0.1, y: 0.2 }], [{ x: 0.1, y: 0.6 }, { x: 0.4, y: 0.2 }]]) {
      const rectangle = rectangleBetween(from!, to!)
      expect(rectangle.x).toBeCloseTo(0.1)
      expect(rectangle.y).toBeCloseTo(0.2)
      expect(rectangle.width).toBeCloseTo(0.3)
      expect(rectangle.height).toBeCloseTo(0.4)
    }
  })

  it('takes a click for a click, not a rectangle', () => {
    expect(isUsable({ x: 0.5, y: 0.5, width: 0.001, height: 0.2 })).toBe(false)
    expect(isUsable({ x: 0.5, y: 0.5, width: 0.05, height: 0.05 })).toBe(true)
  })

  it('keeps a rectangle typed in by hand inside the photo', () => {
    const rectangle = normalise({ x: 0.8, y: -0.2, width: 0.5, height: 0.3 })
    expect(rectangle.y).toBe(0)
    expect(rectangle.x + rectangle.width).toBeCloseTo(1)
    expect(rectangle.height).toBe(0.3)
  })
})
