import type { Language } from '@nabij/shared/domain/languages'
import type { i18n as I18n } from 'i18next'
import { addLanguagePart } from '../i18n'

/** The `ui.staff` texts of each language, apart from what residents download (see the plugin in vite.config.ts). */
const loaders = import.meta.glob<Record<string, unknown>>('../../../shared/src/locales/*.json', { import: 'default', query: '?staff' })

async function staffTexts(code: Language): Promise<Record<string, unknown>> {
  const load = loaders[`../../../shared/src/locales/${code}.json`]
  if (!load) throw new Error(`no locale file for ${code}`)
  return load()
}

/** Before the first staff page renders: this language's staff texts now, every other one as it is chosen. */
export function loadStaffTexts(i18next: I18n): Promise<void> {
  return addLanguagePart(i18next, staffTexts)
}
