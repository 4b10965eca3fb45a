import { eld } from 'eld/medium'

/**
 * The language a resident actually wrote in (eld, n-gram based, offline). Officers and translators need it when it
 * differs from the language picked in the form. Below a dozen letters or three real words no detector is reliable, so none is claimed.
 */
/**
 * Our ten languages and those of the larger communities in Belgium and the Netherlands. Restricting the candidates
 * keeps stray guesses (Yoruba for leetspeak) out of the moderator's queue.
 */
const plausible = ['nl', 'fr', 'en', 'de', 'ar', 'tr', 'pl', 'ro', 'es', 'uk', 'it', 'pt', 'ru', 'bg', 'el', 'sq', 'sr', 'hr', 'cs', 'sk', 'hu', 'fa', 'ur', 'hi', 'bn', 'zh', 'am', 'ku', 'he', 'lt']
eld.setLanguageSubset(plausible)

export function detectLanguage(text: string): string | null {
  const letters = text.match(/\p{L}/gu)?.length ?? 0
  const words = text.split(/[\s.,;:!?"'()]+/u).filter((w) => /^\p{L}{2,}$/u.test(w)).length
  if (letters < 12 || words < 3) return null
  const result = eld.detect(text)
  if (!result.language || !result.isReliable()) return null
  return result.language
}
