/**
 * Moderation flags: hints for the moderator, never decisions. Most are automatic; a moderator can also flag a
 * passage by hand (`manualFlagKinds`). Each flag names its kind, a reason and the span of the text it matched
 * (UTF-16 offsets into the report's description or the reply's text).
 */
export const flagGroups = ['personal_data', 'abuse', 'spam', 'duplicate', 'language'] as const
export type FlagGroup = (typeof flagGroups)[number]

export const flagKinds = {
  email: 'personal_data',
  phone: 'personal_data',
  national_number: 'personal_data',
  iban: 'personal_data',
  licence_plate: 'personal_data',
  address: 'personal_data',
  person_name: 'personal_data',
  profanity: 'abuse',
  slur: 'abuse',
  hate_speech: 'abuse',
  threat: 'abuse',
  link: 'spam',
  advertising: 'spam',
  repeated_characters: 'spam',
  repeated_text: 'spam',
  near_duplicate: 'duplicate',
  language_mismatch: 'language',
} as const satisfies Record<string, FlagGroup>
export type FlagKind = keyof typeof flagKinds
export const flagKindKeys = Object.keys(flagKinds) as FlagKind[]

/** What a moderator may flag by hand: what a person recognises and the patterns miss (names, hate, threats, ads). */
export const manualFlagKinds = [
  'person_name', 'phone', 'email', 'address', 'licence_plate', 'national_number', 'iban',
  'hate_speech', 'threat', 'slur', 'profanity',
  'advertising', 'link',
] as const satisfies readonly FlagKind[]
export type ManualFlagKind = (typeof manualFlagKinds)[number]

export function groupOf(kind: FlagKind): FlagGroup {
  return flagKinds[kind]
}

/**
 * What an automatic flag found, as values the moderator's page words in their own language (`ui.staff.flag_reason.*`):
 * a country code, a phone number type, a slur's target group, a language code, a count, a reference.
 */
export type FlagDetails = Record<string, string | number>

/** A flag as computed, before it is stored. */
export interface ComputedFlag {
  kind: FlagKind
  /** Why, in a few English words for the API and the audit log (the source list, the country of a number, the other report). */
  reason: string
  details?: FlagDetails
  start: number
  end: number
  /** The matched text (for near-duplicates: the other report's reference; for language: the detected code). */
  match: string
  relatedReportId?: number
}
