/**
 * `cannedUpdateKeys` of shared/src/api/updates.ts, copied because a value import from shared/api would pull the
 * schema library into the staff bundle; test/web/staff/canned.test.ts keeps the two equal.
 */
export const cannedKeys = [
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
export type CannedKey = (typeof cannedKeys)[number]
