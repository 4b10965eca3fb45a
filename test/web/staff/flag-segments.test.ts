import { describe, expect, it } from 'vitest'
import type { Flag } from '../../../shared/src/api/moderation.js'
import { flagSegments } from '../../../web/src/staff/moderation/flagSegments'

let id = 0
const flag = (kind: Flag['kind'], group: Flag['group'], start: number, end: number): Flag =>
  ({ id: ++id, kind, group, reason: '', start, end, match: '', relatedReference: null, flaggedBy: null, details: {} })

describe('flagSegments', () => {
  it('cuts the text around a flag and keeps the plain parts whole', () => {
    const text = 'Call me on 0470 12 34 56 tonight'
    const segments = flagSegments(text, [flag('phone', 'personal_data', 11, 24)])

    expect(segments.map((s) => [s.text, s.flags.map((f) => f.kind)])).toEqual([
      ['Call me on ', []],
      ['0470 12 34 56', ['phone']],
      [' tonight', []],
    ])
    expect(segments.map((s) => s.text).join('')).toBe(text)
  })

  it('keeps both flags visible where they overlap', () => {
    const text = 'Rue Haute 12 idiot'
    const segments = flagSegments(text, [flag('address', 'personal_data', 0, 12), flag('profanity', 'abuse', 10, 18)])

    expect(segments.map((s) => [s.text, s.flags.map((f) => f.kind)])).toEqual([
      ['Rue Haute ', ['address']],
      ['12', ['address', 'profanity']],
      [' idiot', ['profanity']],
    ])
  })

  it('leaves out flags about the whole text, such as its language, and offsets outside the text', () => {
    const text = 'Bonjour'
    const segments = flagSegments(text, [flag('language_mismatch', 'language', 0, 7), flag('link', 'spam', 20, 30)])

    expect(segments).toEqual([{ text: 'Bonjour', flags: [] }])
  })
})
