import { electronicFormatIBAN, isValidIBAN, countrySpecs } from 'ibantools'
import { findNumbers } from 'libphonenumber-js/max'
import type { ComputedFlag } from '@nabij/shared/moderation/flags'

/**
 * Personal data in a resident's text: the people named in a tip deserve the same protection as the reporter. Each
 * finder returns flags with spans in the original text. They aim at few false alarms: a number is a phone number only
 * when libphonenumber's full metadata calls it valid, a national number or an IBAN only when its checksum holds.
 */

const notWord = '(?<![\\p{L}\\p{N}])'
const notWordAfter = '(?![\\p{L}\\p{N}])'

function flagsOf(text: string, pattern: RegExp, kind: ComputedFlag['kind'], reason: (m: RegExpExecArray) => string | null, details?: ComputedFlag['details']): ComputedFlag[] {
  const flags: ComputedFlag[] = []
  for (const m of text.matchAll(pattern)) {
    const why = reason(m)
    if (why) flags.push({ kind, reason: why, ...(details ? { details } : {}), start: m.index, end: m.index + m[0].length, match: m[0] })
  }
  return flags
}

const emailPattern = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu

export function findEmails(text: string): ComputedFlag[] {
  return flagsOf(text, emailPattern, 'email', () => 'e-mail address')
}

/** A date written with separators ("12-03-2024", "15.03.24") parses as a Belgian landline; it is not one. */
const datePattern = /^\d{1,2}[-/.]\d{1,2}[-/.](?:\d{2}|\d{4})$/

/** No phone number is shorter than this many digits (Belgian 9, Dutch 10, international with a country code 7 or more). */
const phoneMinDigits = 7

export function findPhones(text: string): ComputedFlag[] {
  const flags: ComputedFlag[] = []
  // Most reports hold a few digits at most: skip the number parser (a tenth of flagging's time) for those. Any
  // script's digits count (the parser reads Arabic-Indic and Persian digits too).
  if ((text.match(/\p{Nd}/gu)?.length ?? 0) < phoneMinDigits) return flags
  // Belgian reading first, then Dutch for what Belgian metadata rejects ("06-12345678").
  for (const country of ['BE', 'NL'] as const) {
    for (const found of findNumbers(text, { defaultCountry: country, v2: true })) {
      const { startsAt, endsAt, number } = found
      const raw = text.slice(startsAt, endsAt)
      if (datePattern.test(raw.trim())) continue
      // Part of a longer reference ("BR.12.L1.012345/2024"): glued to letters, digits or a slash.
      if (/[\p{L}\p{N}/]/u.test(text[startsAt - 1] ?? '') || /[\p{L}\p{N}/]/u.test(text[endsAt] ?? '')) continue
      if (flags.some((f) => startsAt < f.end && endsAt > f.start)) continue
      const type = number.getType()?.toLowerCase()
      flags.push({
        kind: 'phone',
        reason: `phone number (${number.country ?? 'international'}, ${type?.replace(/_/g, ' ') ?? 'number'})`,
        details: { ...(number.country ? { country: number.country } : {}), ...(type ? { type } : {}) },
        start: startsAt,
        end: endsAt,
        match: raw,
      })
    }
  }
  return flags
}

/**
 * Belgian national register number (rijksregisternummer / numéro de registre national): YY.MM.DD-SSS.CC, the check
 * being 97 minus the first nine digits modulo 97, with a leading 2 for people born from 2000. BIS numbers add 20 or 40
 * to the month.
 */
const nationalNumberPattern = new RegExp(`${notWord}(\\d{2})[.\\s]?(\\d{2})[.\\s]?(\\d{2})[-.\\s]?(\\d{3})[.\\s]?(\\d{2})${notWordAfter}`, 'gu')

export function isBelgianNationalNumber(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false
  const month = Number(digits.slice(2, 4)) % 20
  const bisMonth = Number(digits.slice(2, 4))
  const day = Number(digits.slice(4, 6))
  if (month > 12 || bisMonth >= 60 || day > 31) return false
  const base = Number(digits.slice(0, 9))
  const check = Number(digits.slice(9))
  return 97 - (base % 97) === check || 97 - ((2_000_000_000 + base) % 97) === check
}

export function findNationalNumbers(text: string): ComputedFlag[] {
  return flagsOf(text, nationalNumberPattern, 'national_number', (m) =>
    isBelgianNationalNumber(m.slice(1, 6).join('')) ? 'Belgian national register number (checksum valid)' : null, { country: 'BE' })
}

/** Two letters, two check digits, then the country's BBAN length, possibly in groups of four. */
const ibanPattern = new RegExp(`${notWord}([A-Za-z]{2})(\\d{2})((?:[\\s-]?[A-Za-z0-9]){8,30})`, 'gu')

export function findIbans(text: string): ComputedFlag[] {
  const flags: ComputedFlag[] = []
  for (const m of text.matchAll(ibanPattern)) {
    const country = m[1]!.toUpperCase()
    const length = (countrySpecs as Record<string, { chars?: number }>)[country]?.chars
    if (!length) continue
    // Take exactly the country's length of characters, skipping the grouping spaces.
    let taken = 4
    let end = m.index + 4
    const rest = m[3]!
    for (let i = 0; i < rest.length && taken < length; i++) {
      end++
      if (/[A-Za-z0-9]/.test(rest[i]!)) taken++
    }
    if (taken < length) continue
    const raw = text.slice(m.index, end)
    const electronic = electronicFormatIBAN(raw)
    if (electronic && isValidIBAN(electronic)) {
      flags.push({ kind: 'iban', reason: `bank account (IBAN ${country}, checksum valid)`, details: { country }, start: m.index, end, match: raw })
    }
  }
  return flags
}

/**
 * Licence plates. Belgium since 2010: 1-ABC-123 (dashes, spaces, dots or none); before: ABC-123 and 123-ABC.
 * The Netherlands: the side codes with letters, written with dashes; Dutch plates use no vowels (nor C, Q).
 */
const nlLetter = '[BDFGHJKLMNPRSTVWXYZbdfghjklmnprstvwxyz]'
const nlSideCodes = [
  'LL-99-99', '99-99-LL', '99-LL-99', 'LL-99-LL', 'LL-LL-99', '99-LL-LL', '99-LLL-9', '9-LLL-99', 'LL-999-L', 'L-999-LL',
  'LLL-99-L', '9-LL-999', '999-LL-9', 'L-99-LLL',
].map((code) => code.replace(/L/g, nlLetter).replace(/9/g, '\\d'))
const platePatterns: [RegExp, string, { country: string; format?: string }][] = [
  [new RegExp(`${notWord}[1-9][-\\s.]?[A-Za-z]{3}[-\\s.]?\\d{3}${notWordAfter}`, 'gu'), 'Belgian licence plate', { country: 'BE' }],
  [new RegExp(`${notWord}(?:[A-Z]{3}[-.]\\d{3}|\\d{3}[-.][A-Z]{3})${notWordAfter}`, 'gu'), 'Belgian licence plate (old format)', { country: 'BE', format: 'old' }],
  [new RegExp(`${notWord}(?:${nlSideCodes.join('|')})${notWordAfter}`, 'gu'), 'Dutch licence plate', { country: 'NL' }],
]

export function findPlates(text: string): ComputedFlag[] {
  const flags: ComputedFlag[] = []
  for (const [pattern, reason, details] of platePatterns) {
    for (const flag of flagsOf(text, pattern, 'licence_plate', () => reason, details)) {
      if (!flags.some((f) => flag.start < f.end && flag.end > f.start)) flags.push(flag)
    }
  }
  return flags
}

/**
 * Street addresses WITH a house number: a street alone is where something happened, a number is where someone lives.
 * Dutch and German streets end in a suffix ("Kerkstraat 12", "Ninoofsesteenweg 300 bus 2"); French ones start with a
 * type ("rue de la Loi 16", "12, avenue Louise").
 */
const dutchSuffixes = [
  'straat', 'steenweg', 'laan', 'plein', 'pleintje', 'weg', 'dreef', 'lei', 'kaai', 'kade', 'gracht', 'singel', 'dijk',
  'markt', 'pad', 'hof', 'plaats', 'baan', 'vest', 'wal', 'steeg', 'park', 'straße', 'strasse', 'gasse', 'allee', 'platz',
]
const frenchTypes = [
  'rue', 'avenue', 'av\\.', 'boulevard', 'bd', 'chaussée', 'chaussee', 'place', 'quai', 'chemin', 'allée', 'allee', 'square',
  'impasse', 'drève', 'clos', 'route', 'galerie', 'parvis', 'passage', 'sentier', 'cité', 'ul\\.', 'ulica',
]
const anyCase = (word: string) => `[${word[0]!.toUpperCase()}${word[0]}]${word.slice(1)}`
const houseNumber = '\\d{1,4}(?:\\s?[a-zA-Z](?![\\p{L}\\p{N}]))?(?:\\s*(?:bus|bte|boîte|b\\.)\\s*\\d{1,4})?'
/** What follows a number that makes it a time, a distance, an amount or a count rather than a house number. */
const notAHouseNumber = '(?![.,:]\\d|\\s*(?:u|h|uur|heures?|km|m|min|minuten|minutes|%|€|euro|jaar|ans|keer|fois|x)(?![\\p{L}]))'
const nameWord = "(?:(?:de|du|des|la|le|les|l'|d'|l’|d’|van|der|den|sur|aux|au|à)\\s*|[\\p{Lu}][\\p{L}'’.-]*\\s+)"
const addressPatterns = [
  // Compound Dutch/German street name, optionally after a capitalised word ("Sint-Jansplein", "Grote Markt").
  new RegExp(`${notWord}(?:\\p{Lu}[\\p{L}'’-]*\\s)?(?:[\\p{L}'’-]{2,}(?:${dutchSuffixes.join('|')})|\\p{Lu}[\\p{L}'’-]*\\s(?:${dutchSuffixes.map(anyCase).join('|')}))\\s+${houseNumber}${notAHouseNumber}${notWordAfter}`, 'gu'),
  new RegExp(`${notWord}(?:${frenchTypes.map(anyCase).join('|')})\\s+${nameWord}{1,6}${houseNumber}${notAHouseNumber}${notWordAfter}`, 'gu'),
  new RegExp(`${notWord}${houseNumber},?\\s+(?:${frenchTypes.map(anyCase).join('|')})\\s+${nameWord}{0,5}[\\p{Lu}][\\p{L}'’-]*`, 'gu'),
]

export function findAddresses(text: string): ComputedFlag[] {
  const flags: ComputedFlag[] = []
  for (const pattern of addressPatterns) {
    for (const m of text.matchAll(pattern)) {
      const raw = m[0].trimEnd()
      const flag: ComputedFlag = { kind: 'address', reason: 'street address with a house number', start: m.index, end: m.index + raw.length, match: raw }
      if (!flags.some((f) => flag.start < f.end && flag.end > f.start)) flags.push(flag)
    }
  }
  return flags
}

export function findPersonalData(text: string): ComputedFlag[] {
  const emails = findEmails(text)
  const ibans = findIbans(text)
  const national = findNationalNumbers(text)
  // A checksum-valid IBAN or national number outranks a phone reading of the same digits.
  const taken = [...emails, ...ibans, ...national]
  const overlaps = (f: ComputedFlag) => taken.some((t) => f.start < t.end && f.end > t.start)
  const phones = findPhones(text).filter((f) => !overlaps(f))
  const plates = findPlates(text).filter((f) => !overlaps(f))
  return [...taken, ...phones, ...plates, ...findAddresses(text)]
}
