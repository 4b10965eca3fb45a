import type { Flag } from '@nabij/shared/api/moderation'
import type { TFunction } from 'i18next'

/**
 * Why a flag was set, in the moderator's language: the flag's details worded by `ui.staff.flag_reason.*`, countries and
 * languages named by the browser (Intl.DisplayNames). A hand-set flag's reason is the moderator's own note; a flag
 * stored before details existed keeps its English reason.
 */
export function flagReason(t: TFunction, language: string, flag: Flag): string {
  if (flag.flaggedBy !== null) return flag.reason
  // The kind's name says it all for these; the English reason would only repeat it.
  if (selfExplaining.has(flag.kind)) return ''
  const d = flag.details
  if (Object.keys(d).length === 0) return flag.reason
  const region = (code: unknown) => name(language, 'region', code)
  const tongue = (code: unknown) => name(language, 'language', code)
  switch (flag.kind) {
    case 'phone':
      return list(language, [region(d.country), d.type ? t(`ui.staff.phone_type.${d.type}`, { defaultValue: '' }) : ''].filter(Boolean))
    case 'national_number':
      return region(d.country)
    case 'iban':
      return t('ui.staff.flag_reason.iban', { country: region(d.country) })
    case 'licence_plate':
      return t(d.format === 'old' ? 'ui.staff.flag_reason.licence_plate_old' : 'ui.staff.flag_reason.licence_plate', { country: region(d.country) })
    case 'slur':
      return t('ui.staff.flag_reason.slur', { target: t(`ui.staff.slur_target.${d.target}`) })
    case 'profanity':
      return t('ui.staff.flag_reason.profanity', { language: tongue(d.language) })
    case 'repeated_characters':
      return t('ui.staff.flag_reason.repeated', { text: d.text, count: d.count })
    case 'repeated_text':
      return t('ui.staff.flag_reason.repeated_text', { count: d.count, days: d.days })
    case 'near_duplicate':
      return t('ui.staff.flag_reason.near_duplicate', { reference: d.reference, similarity: d.similarity })
    case 'language_mismatch':
      return t('ui.staff.flag_reason.language_mismatch', { detected: tongue(d.detected), declared: tongue(d.declared) })
    default:
      return ''
  }
}

const selfExplaining = new Set<Flag['kind']>(['email', 'address', 'link'])

function list(language: string, parts: string[]): string {
  try {
    return new Intl.ListFormat([language], { type: 'unit', style: 'short' }).format(parts)
  } catch {
    return parts.join(', ')
  }
}

function name(language: string, type: 'region' | 'language', code: unknown): string {
  if (typeof code !== 'string' || !code) return ''
  try {
    return new Intl.DisplayNames([language], { type }).of(code) ?? code
  } catch {
    return code
  }
}
