/**
 * Report categories. `target` is the fixed floor of routing: police-conduct complaints never reach the zone's own
 * officers, municipal defects go to the municipality; routing rules may refine only the zone-officer categories.
 */
export type RoutingTarget = 'zone_officers' | 'municipality' | 'oversight'

export const categories = [
  { key: 'vandalism', target: 'zone_officers', icon: '🪧' },
  { key: 'drugs', target: 'zone_officers', icon: '💊' },
  { key: 'nuisance', target: 'zone_officers', icon: '🔊' },
  { key: 'loitering', target: 'zone_officers', icon: '👥' },
  { key: 'unsafe_place', target: 'zone_officers', icon: '⚠️' },
  { key: 'traffic', target: 'zone_officers', icon: '🚦' },
  { key: 'theft', target: 'zone_officers', icon: '🔓' },
  { key: 'hate_incident', target: 'zone_officers', icon: '✋' },
  { key: 'police_conduct', target: 'oversight', icon: '⚖️' },
  { key: 'public_space_defect', target: 'municipality', icon: '🛠️' },
  { key: 'other', target: 'zone_officers', icon: '💬' },
] as const satisfies readonly { key: string; target: RoutingTarget; icon: string }[]

export type Category = (typeof categories)[number]['key']
export const categoryKeys = categories.map((c) => c.key) as Category[]

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (categoryKeys as string[]).includes(value)
}

export function targetOf(category: Category): RoutingTarget {
  return categories.find((c) => c.key === category)!.target
}
