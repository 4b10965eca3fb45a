import { existsSync, readFileSync } from 'node:fs'
import i18next, { type TFunction } from 'i18next'
import { languageCodes, type Language } from '@nabij/shared/domain/languages'

const localesDir = new URL('../../shared/src/locales/', import.meta.url)

// The locales test guarantees every language file is complete; English is the fallback for none missing.
const resources = Object.fromEntries(
  languageCodes
    .filter((code) => existsSync(new URL(`${code}.json`, localesDir)))
    .map((code) => [code, { translation: JSON.parse(readFileSync(new URL(`${code}.json`, localesDir), 'utf8')) }]),
)

/** One i18next instance for the server: error messages and canned updates in the reader's language. */
export const i18n = i18next.createInstance()
await i18n.init({
  resources,
  lng: 'nl',
  fallbackLng: 'en',
  supportedLngs: languageCodes,
  interpolation: { escapeValue: false },
  initAsync: false,
})

export function translator(language: Language): TFunction {
  return i18n.getFixedT(language)
}
