import { isLanguage, type Language } from '@nabij/shared/domain/languages'
import type { TFunction } from 'i18next'
import { useTranslation } from 'i18next-vue'
import { computed, ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue'
import { ApiError } from '../../api/client'
import { ensureLanguage } from '../../i18n'
import { staffApi } from '../api'

/**
 * What the reporter will read of an officer's answer, shared by the update composer and the close form: a canned
 * text in the reporter's language, or the officer's words with a translation the officer writes (or has suggested)
 * when the reporter wrote in another language than the officer answers in.
 */
export function useResidentAnswer(options: {
  residentLanguage: MaybeRefOrGetter<string>
  /** 'canned' previews the canned text; 'text' the officer's words; 'none' previews nothing. */
  kind: MaybeRefOrGetter<'canned' | 'text' | 'none'>
  cannedKey: Ref<string>
  text: Ref<string>
  language: Ref<Language>
}) {
  const { t, i18next } = useTranslation()
  const translation = ref('')
  const suggesting = ref(false)
  const suggestProblem = ref<string>()

  const resident = computed<Language | null>(() => {
    const code = toValue(options.residentLanguage)
    return isLanguage(code) ? code : null
  })
  const residentT = shallowRef<TFunction>()
  watch(resident, async (code) => {
    residentT.value = undefined
    if (!code) return
    await ensureLanguage(i18next, code)
    residentT.value = i18next.getFixedT(code)
  }, { immediate: true })

  const needsTranslation = computed(() => toValue(options.kind) === 'text' && resident.value !== null && resident.value !== options.language.value)
  const preview = computed<{ text: string; language: Language | null }>(() => {
    const kind = toValue(options.kind)
    if (kind === 'none') return { text: '', language: null }
    if (kind === 'canned') return { text: residentT.value?.(`update.${options.cannedKey.value}`) ?? '', language: resident.value }
    if (needsTranslation.value && translation.value.trim()) return { text: translation.value.trim(), language: resident.value }
    return { text: options.text.value.trim(), language: options.language.value }
  })
  /** The `translations` field of the request, when the officer gave one. */
  const translations = computed(() =>
    needsTranslation.value && translation.value.trim() && resident.value ? { [resident.value]: translation.value.trim() } : undefined,
  )

  async function suggest() {
    const to = resident.value
    if (!to || !options.text.value.trim()) return
    suggesting.value = true
    suggestProblem.value = undefined
    try {
      const reply = await staffApi.translate.suggest(options.text.value.trim(), options.language.value, [to])
      translation.value = reply.translations[to] ?? ''
    } catch (err) {
      suggestProblem.value = err instanceof ApiError ? err.message : t('ui.error_network')
    } finally {
      suggesting.value = false
    }
  }

  return { resident, translation, needsTranslation, preview, translations, suggest, suggesting, suggestProblem }
}
