import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import I18NextVue from 'i18next-vue'
import type { Component } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Language } from '../../../shared/src/domain/languages.js'
import { createI18n } from '../../../web/src/i18n'
import { loadStaffTexts } from '../../../web/src/staff/texts'
import type { Rendered } from '../helpers/mount'

/**
 * mountIn of ../helpers/mount.ts for staff components: the real locale of `language`, plus the staff texts loaded
 * the way the staff pages load them (apart from the residents' chunk), and every missing key recorded.
 */
export async function mountStaff<T extends Component>(
  component: T,
  language: Language,
  options: ComponentMountingOptions<T> = {} as ComponentMountingOptions<T>,
): Promise<Rendered<T>> {
  const i18next = await createI18n(language)
  await loadStaffTexts(i18next)
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
