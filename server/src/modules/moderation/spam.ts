import type { ComputedFlag } from '@nabij/shared/moderation/flags'

/** Spam signs a text shows by itself; "the same text posted many times" needs the database (see flag-service.ts). */

const tlds = 'com|net|org|info|biz|be|nl|fr|de|eu|ru|io|co|me|xyz|top|site|online|shop|store|click|link|ly|gl|app|live|tk|ml|ga|cf|gq|icu|win|vip|bet|casino'
const linkPatterns = [
  /(?:https?:\/\/|www\.)[^\s<>"']+/giu,
  new RegExp(`(?<![\\p{L}\\p{N}@.-])(?:[a-z0-9][a-z0-9-]*\\.)+(?:${tlds})(?![\\p{L}\\p{N}])(?:/[^\\s<>"']*)?`, 'giu'),
]

export function findLinks(text: string): ComputedFlag[] {
  const flags: ComputedFlag[] = []
  for (const pattern of linkPatterns) {
    for (const m of text.matchAll(pattern)) {
      const raw = m[0].replace(/[.,;:!?)]+$/u, '')
      const flag: ComputedFlag = { kind: 'link', reason: 'link to a website', start: m.index, end: m.index + raw.length, match: raw }
      if (!flags.some((f) => flag.start < f.end && flag.end > f.start)) flags.push(flag)
    }
  }
  return flags
}

/** Six times the same letter or sign ("!!!!!!", "heeeeeelp"), or one word five times in a row. Digits are exempt. */
const repeatedChar = /([^\s\p{N}])\1{5,}/gu
const repeatedWord = /(?<![\p{L}\p{N}])([\p{L}\p{N}]+)(?:[\s,.!?]+\1(?![\p{L}\p{N}])){4,}/giu

export function findRepetition(text: string): ComputedFlag[] {
  const flags: ComputedFlag[] = []
  for (const m of text.matchAll(repeatedChar)) {
    const count = [...m[0]].length
    flags.push({ kind: 'repeated_characters', reason: `"${m[1]}" repeated ${count} times`, details: { text: m[1]!, count }, start: m.index, end: m.index + m[0].length, match: m[0] })
  }
  for (const m of text.matchAll(repeatedWord)) {
    const count = m[0].split(/[\s,.!?]+/).filter(Boolean).length
    flags.push({ kind: 'repeated_characters', reason: `"${m[1]}" repeated word`, details: { text: m[1]!, count }, start: m.index, end: m.index + m[0].length, match: m[0] })
  }
  return flags
}

export function findSpam(text: string, taken: readonly ComputedFlag[]): ComputedFlag[] {
  // An e-mail address is personal data, not a link to a website.
  const links = findLinks(text).filter((l) => !taken.some((t) => t.kind === 'email' && l.start < t.end && l.end > t.start))
  return [...links, ...findRepetition(text)]
}
