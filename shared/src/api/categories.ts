import { Type, type Static } from 'typebox'
import { categoryKeys, type RoutingTarget } from '../domain/categories.js'

const routingTargets: RoutingTarget[] = ['zone_officers', 'municipality', 'oversight']

export const CategoryItem = Type.Object({
  key: Type.Enum([...categoryKeys], { description: 'Stable key, sent back as `category` when filing' }),
  label: Type.String({ description: "In the request's language", examples: ['Vandalism'] }),
  help: Type.String({ description: 'One sentence that helps a resident choose' }),
  icon: Type.String(),
  target: Type.Enum(routingTargets, { description: 'Who receives reports of this category' }),
  targetLabel: Type.String({ examples: ['Your neighbourhood officers'] }),
})
export type CategoryItem = Static<typeof CategoryItem>

export const CategoriesReply = Type.Object({ categories: Type.Array(CategoryItem) })
export type CategoriesReply = Static<typeof CategoriesReply>
