/**
 * Text normalisation for word-list matching, shared by the server (flags) and the web app (highlighting).
 * Matching happens on a folded copy of the text (case, diacritics, Arabic letter variants, leetspeak, stretched
 * letters, spaced-out letters); every match is reported as a span of the ORIGINAL string, in UTF-16 code units, so the
 * moderator's screen can highlight exactly what was written.
 */

/** A folded text with, for each folded character, the original span that produced it. */
export interface Folded {
  text: string
  /** `starts[i]`..`ends[i]` is the original span of folded character i. */
  starts: number[]
  ends: number[]
}

/** Letters that NFKD does not decompose, and Arabic letter variants writers use interchangeably. */
const foldChars: Record<string, string> = {
  ı: 'i', ł: 'l', ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', þ: 'th', ŧ: 't', ħ: 'h',
  ة: 'ه', ى: 'ي', ٱ: 'ا', ک: 'ك', ی: 'ي',
}
/** Invisible characters used to slip a word past a filter: zero-width spaces and joiners, soft hyphen, tatweel. */
const invisible = /[\u00ad\u0640\u200b-\u200f\u2060\ufeff]/u
const mark = /\p{M}/u

export function fold(input: string): Folded {
  const out: string[] = []
  const starts: number[] = []
  const ends: number[] = []
  let index = 0
  for (const char of input) {
    const end = index + char.length
    if (!invisible.test(char)) {
      for (const part of char.normalize('NFKD').toLowerCase()) {
        if (mark.test(part)) continue
        const folded = foldChars[part] ?? part
        out.push(folded)
        // One entry per UTF-16 unit, so folded positions index these arrays directly.
        for (let k = 0; k < folded.length; k++) {
          starts.push(index)
          ends.push(end)
        }
      }
    }
    index = end
  }
  return { text: out.join(''), starts, ends }
}

/** Leetspeak substitutions, applied only inside a word that also has letters (so "1050" stays a postcode). */
const leet: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '€': 'e', '!': 'i', '|': 'l' }
const letter = /\p{L}/u
const wordChar = /[\p{L}\p{N}@$€!|]/u

export interface Token {
  /** Span in the folded text. */
  start: number
  end: number
  /** The folded word with leetspeak resolved. */
  key: string
}

/** Splits folded text into words; runs of single spaced-out letters ("k u t", "k.u.t") also become one word. */
export function tokenise(folded: string): Token[] {
  const tokens: Token[] = []
  const chars = [...folded]
  let i = 0
  // `chars` indexes code points; folded text positions are UTF-16 units, so keep both.
  let pos = 0
  while (i < chars.length) {
    if (!wordChar.test(chars[i]!)) { pos += chars[i]!.length; i++; continue }
    const start = pos
    const word: string[] = []
    while (i < chars.length && wordChar.test(chars[i]!)) { word.push(chars[i]!); pos += chars[i]!.length; i++ }
    // A trailing "!" or "|" is punctuation, not a letter.
    let end = pos
    while (word.length > 1 && /[!|]/.test(word[word.length - 1]!)) end -= word.pop()!.length
    const hasLetter = word.some((c) => letter.test(c))
    const key = hasLetter ? word.map((c) => leet[c] ?? c).join('') : word.join('')
    tokens.push({ start, end, key })
  }
  return mergeSpacedLetters(tokens, folded)
}

function mergeSpacedLetters(tokens: Token[], folded: string): Token[] {
  const merged: Token[] = []
  let i = 0
  while (i < tokens.length) {
    let j = i
    while (
      j + 1 < tokens.length && [...tokens[j]!.key].length === 1 && [...tokens[j + 1]!.key].length === 1
      && /^[\s.\-_*·]{1,2}$/u.test(folded.slice(tokens[j]!.end, tokens[j + 1]!.start))
    ) j++
    if (j - i >= 2) {
      merged.push({ start: tokens[i]!.start, end: tokens[j]!.end, key: tokens.slice(i, j + 1).map((t) => t.key).join('') })
      i = j + 1
    } else {
      merged.push(tokens[i]!)
      i++
    }
  }
  return merged
}

/** Arabic writes the article and some prepositions glued to the word: "الزنوج" is "ال" + "زنوج". */
const arabicClitics = /^(?:وال|بال|فال|كال|لل|ال|و|ب|ف|ل)(?=\p{Script=Arabic}{2})/u

/**
 * The forms a word is compared in: as written; stretched runs ("kuuuut") folded to two and to one letter; and, for
 * Arabic, without a leading article or preposition.
 */
export function variantsOf(key: string): string[] {
  const variants = [key]
  if (/(.)\1\1/u.test(key)) variants.push(key.replace(/(.)\1{2,}/gu, '$1$1'), key.replace(/(.)\1{2,}/gu, '$1'))
  const bare = key.replace(arabicClitics, '')
  if (bare !== key) variants.push(bare)
  return variants
}

export interface Term<T = unknown> {
  term: string
  /** Also match inside a longer word (compounds: "kankermarokkanen"); otherwise whole words only. */
  within?: boolean
  data?: T
}

export interface TermMatch<T = unknown> {
  /** Span in the original text, UTF-16 code units. */
  start: number
  end: number
  /** The original text of the span. */
  match: string
  term: Term<T>
}

/** Finds whole-word, phrase and within-word occurrences of a fixed list of terms in any text. */
export class TermMatcher<T = unknown> {
  private readonly words = new Map<string, Term<T>>()
  private readonly phrases = new Map<string, { keys: string[]; term: Term<T> }[]>()
  private readonly within: { key: string; term: Term<T> }[] = []

  constructor(terms: readonly Term<T>[]) {
    for (const term of terms) {
      const keys = tokenise(fold(term.term).text).map((t) => t.key)
      if (keys.length === 0) continue
      if (keys.length > 1) {
        const list = this.phrases.get(keys[0]!) ?? []
        list.push({ keys, term })
        this.phrases.set(keys[0]!, list)
      } else if (term.within) {
        this.within.push({ key: keys[0]!, term })
      } else if (!this.words.has(keys[0]!)) {
        this.words.set(keys[0]!, term)
      }
    }
  }

  find(text: string): TermMatch<T>[] {
    const folded = fold(text)
    const tokens = tokenise(folded.text)
    const found: TermMatch<T>[] = []
    const span = (from: number, to: number, term: Term<T>) => {
      const start = folded.starts[from]!
      const end = folded.ends[to - 1]!
      found.push({ start, end, match: text.slice(start, end), term })
    }
    tokens.forEach((token, i) => {
      const variants = variantsOf(token.key)
      for (const variant of variants) {
        for (const phrase of this.phrases.get(variant) ?? []) {
          const rest = tokens.slice(i + 1, i + phrase.keys.length)
          if (rest.length === phrase.keys.length - 1 && rest.every((t, k) => variantsOf(t.key).includes(phrase.keys[k + 1]!))) {
            span(token.start, rest[rest.length - 1]!.end, phrase.term)
          }
        }
      }
      const word = variants.map((v) => this.words.get(v)).find(Boolean)
      if (word) return span(token.start, token.end, word)
      const inside = this.within.find((w) => variants.some((v) => v.includes(w.key)))
      if (inside) span(token.start, token.end, inside.term)
    })
    return dedupe(found)
  }
}

/** Keeps the longest of overlapping matches, in text order. */
function dedupe<T>(matches: TermMatch<T>[]): TermMatch<T>[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start))
  const kept: TermMatch<T>[] = []
  for (const m of sorted) {
    const last = kept[kept.length - 1]
    if (last && m.start < last.end) continue
    kept.push(m)
  }
  return kept
}
