import type { CategoriesReply } from '@nabij/shared/api/categories'
import { categories } from '@nabij/shared/domain/categories'
import type { Language } from '@nabij/shared/domain/languages'
import { translator } from '../../i18n.js'

export function listCategories(reader: Language): CategoriesReply {
  const t = translator(reader)
  return {
    categories: categories.map((c) => ({
      key: c.key,
      label: t(`category.${c.key}.label`),
      help: t(`category.${c.key}.help`),
      icon: c.icon,
      target: c.target,
      targetLabel: t(`target.${c.target}`),
    })),
  }
}
