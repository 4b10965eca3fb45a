import type { ComputedFlag } from '@nabij/shared/moderation/flags'
import { findAbuse } from './abuse.js'
import { detectLanguage } from './language.js'
import { findPersonalData } from './personal-data.js'
import { findSpam } from './spam.js'

export interface FlagContext {
  /** The language the resident declared (the form's language). */
  language: string
}

export interface TextFlags {
  flags: ComputedFlag[]
  /** Set when the text is reliably in another language than the declared one. */
  detectedLanguage: string | null
}

/**
 * Every flag a text earns by itself, pure and synchronous: personal data, abuse, spam signs and the written language.
 * Flags that need other reports (near-duplicates, the same text posted many times) are added by `flagReport`.
 */
export function computeFlags(text: string, ctx: FlagContext): TextFlags {
  const detected = detectLanguage(text)
  const detectedLanguage = detected && detected !== ctx.language ? detected : null
  const personal = findPersonalData(text)
  const flags = [
    ...personal,
    ...findAbuse(text, detected ? [ctx.language, detected] : [ctx.language]),
    ...findSpam(text, personal),
  ]
  if (detectedLanguage) {
    flags.push({ kind: 'language_mismatch', reason: `written in ${detectedLanguage}, declared ${ctx.language}`, details: { detected: detectedLanguage, declared: ctx.language }, start: 0, end: text.length, match: detectedLanguage })
  }
  return { flags: flags.sort((a, b) => a.start - b.start || a.end - b.end), detectedLanguage }
}
