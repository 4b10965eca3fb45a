/**
 * Canned updates: the locale key `update.<key>` holds the text in each of the ten languages, so a resident reads
 * it in their own language whatever the officer's. Plain data, so the staff pages list them without the schema library.
 */
export const cannedUpdateKeys = [
  'received',
  'patrols_increased',
  'referred_municipality',
  'referred_partner',
  'investigating',
  'more_information',
  'officer_changed',
  'thanks',
  'will_keep_informed',
  'no_action_explained',
] as const
export type CannedUpdateKey = (typeof cannedUpdateKeys)[number]
