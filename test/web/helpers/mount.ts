import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import I18NextVue from 'i18next-vue'
import type { i18n as I18n } from 'i18next'
import type { Component } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Language } from '../../../shared/src/domain/languages.js'
import { createI18n } from '../../../web/src/i18n'
import { loadStaffTexts } from '../../../web/src/staff/texts'

/** Keys that a render looked up and that the locale does not have. */
export interface Rendered<T> {
  wrapper: ReturnType<typeof mount<T>>
  i18next: I18n
  missing: string[]
}

/** Matches a locale key printed as text: what a user would see if a translation were missing. */
export const rawKey = /\b(ui|errors|category|status|close_reason|target|role|update)\.[a-z_]+(\.[a-z_]+)*\b/

/**
 * Mounts a component with the real locale of `language` (loaded the way the app loads it) and a memory router, and
 * records every key looked up that the locale lacks. `staff` adds the staff texts the way the staff pages load them,
 * apart from the residents' chunk.
 */
export async function mountIn<T extends Component>(
  component: T,
  language: Language,
  options: ComponentMountingOptions<T> = {} as ComponentMountingOptions<T>,
  { staff = false }: { staff?: boolean } = {},
): Promise<Rendered<T>> {
  const i18next = await createI18n(language)
  if (staff) await loadStaffTexts(i18next)
  const missing: string[] = []
  i18next.options.saveMissing = true
  i18next.options.missingKeyHandler = (_languages, _namespace, key) => { missing.push(key) }
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)*', component: { render: () => null } }] })
  const wrapper = mount(component, {
    ...options,
    global: { ...options.global, plugins: [[I18NextVue, { i18next }], router, ...(options.global?.plugins ?? [])] },
  } as ComponentMountingOptions<T>)
  await router.isReady()
  return { wrapper: wrapper as Rendered<T>['wrapper'], i18next, missing }
}

/** mountIn for staff components: the staff texts are loaded too. */
export function mountStaff<T extends Component>(
  component: T,
  language: Language,
  options: ComponentMountingOptions<T> = {} as ComponentMountingOptions<T>,
): Promise<Rendered<T>> {
  return mountIn(component, language, options, { staff: true })
}

/**
 * A locale file as data, read from disk: a JSON import here would clash with the app's own lazy import of the same
 * file. Typed as the English file, which every locale matches key for key.
 */
export function locale(code: Language): typeof import('../../../shared/src/locales/en.json') {
  return JSON.parse(readFileSync(resolve(`shared/src/locales/${code}.json`), 'utf8'))
}
