import i18next, { type i18n as I18n } from 'i18next'
import { defaultLanguage, directionOf, isLanguage, pickLanguage, type Language } from '@nabij/shared/domain/languages'

type Resources = Record<string, unknown>

/** One lazy chunk per language: only the active one is ever downloaded, without the staff texts (vite.config.ts). */
const loaders = import.meta.glob<Resources>('../../shared/src/locales/*.json', { import: 'default', query: '?resident' })

const storageKey = 'nabij.language'

function loaderFor(code: Language): () => Promise<Resources> {
  const loader = loaders[`../../shared/src/locales/${code}.json`]
  if (!loader) throw new Error(`no locale file for ${code}`)
  return loader
}

/** The remembered choice, else the browser's languages, else Dutch. */
export function initialLanguage(): Language {
  const stored = readStored()
  if (isLanguage(stored)) return stored
  const browser = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]
  return pickLanguage(browser.filter(Boolean).join(','), defaultLanguage)
}

function readStored(): string | null {
  try {
    return localStorage.getItem(storageKey)
  } catch {
    return null // storage disabled: fall back to the browser's languages
  }
}

function applyToDocument(code: Language): void {
  document.documentElement.lang = code
  document.documentElement.dir = directionOf(code)
}

export async function createI18n(language: Language = initialLanguage()): Promise<I18n> {
  const instance = i18next.createInstance()
  await instance.init({
    lng: language,
    fallbackLng: false,
    resources: { [language]: { translation: await loaderFor(language)() } },
    interpolation: { escapeValue: false }, // Vue escapes what it renders
  })
  applyToDocument(language)
  return instance
}

/** More texts for a part of the app that loads later (the staff pages), merged into each language as it loads. */
export type LanguagePart = (code: Language) => Promise<Resources>
const parts: LanguagePart[] = []
const partsLoaded = new WeakMap<I18n, Set<string>>()

/** Adds a part and loads it for the current language at once. */
export async function addLanguagePart(instance: I18n, part: LanguagePart): Promise<void> {
  if (!parts.includes(part)) parts.push(part)
  await ensureLanguage(instance, currentLanguage(instance))
}

/** Loads a language's strings without switching to it (staff preview a canned text in the resident's language). */
export async function ensureLanguage(instance: I18n, code: Language): Promise<void> {
  if (!instance.hasResourceBundle(code, 'translation')) {
    instance.addResourceBundle(code, 'translation', await loaderFor(code)())
  }
  const loaded = partsLoaded.get(instance) ?? new Set<string>()
  partsLoaded.set(instance, loaded)
  for (const [index, part] of parts.entries()) {
    if (loaded.has(`${index}:${code}`)) continue
    instance.addResourceBundle(code, 'translation', await part(code), true, true)
    loaded.add(`${index}:${code}`)
  }
}

/** Loads the language's chunk if needed, switches, remembers the choice and sets `<html lang dir>`. */
export async function switchLanguage(instance: I18n, code: Language): Promise<void> {
  await ensureLanguage(instance, code)
  await instance.changeLanguage(code)
  try {
    localStorage.setItem(storageKey, code)
  } catch {
    // a preference that cannot be remembered is still applied for this visit
  }
  applyToDocument(code)
}

export function currentLanguage(instance: I18n): Language {
  return isLanguage(instance.language) ? instance.language : defaultLanguage
}
