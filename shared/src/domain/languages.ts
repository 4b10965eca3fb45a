/** The ten languages of the interface, in the order of the language picker. */
export const languages = [
  { code: 'nl', name: 'Nederlands', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'de', name: 'Deutsch', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
  { code: 'tr', name: 'Türkçe', dir: 'ltr' },
  { code: 'pl', name: 'Polski', dir: 'ltr' },
  { code: 'ro', name: 'Română', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'uk', name: 'Українська', dir: 'ltr' },
] as const

export type Language = (typeof languages)[number]['code']
export const languageCodes = languages.map((l) => l.code) as Language[]
export const defaultLanguage: Language = 'nl'

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languageCodes as string[]).includes(value)
}

export function directionOf(code: Language): 'ltr' | 'rtl' {
  return languages.find((l) => l.code === code)?.dir ?? 'ltr'
}

/**
 * Picks the best supported language from an Accept-Language header ("fr-BE,fr;q=0.9,en;q=0.8"),
 * honouring q-values; falls back to the default.
 */
export function pickLanguage(header: string | undefined, fallback: Language = defaultLanguage): Language {
  if (!header) return fallback
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index }
    })
    .filter((entry) => entry.base && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return (ranked.find((entry) => isLanguage(entry.base))?.base as Language | undefined) ?? fallback
}
