import ar from 'naughty-words/ar.json' with { type: 'json' }
import de from 'naughty-words/de.json' with { type: 'json' }
import en from 'naughty-words/en.json' with { type: 'json' }
import es from 'naughty-words/es.json' with { type: 'json' }
import fr from 'naughty-words/fr.json' with { type: 'json' }
import nl from 'naughty-words/nl.json' with { type: 'json' }
import pl from 'naughty-words/pl.json' with { type: 'json' }
import tr from 'naughty-words/tr.json' with { type: 'json' }
import type { ComputedFlag } from '@nabij/shared/moderation/flags'
import { fold, TermMatcher } from '@nabij/shared/moderation/normalise'
import { slurs, type Slur } from '@nabij/shared/moderation/slurs'

/**
 * Abuse: the maintained LDNOOBW lists (naughty-words) per language, and our own slur list (shared/, so the web app
 * highlights the same words). The LDNOOBW lists are written for chat filters: they hold ordinary words of a police
 * report (a hole in the road, dog droppings, public urination, the name of a crime) that must not flag a resident who
 * describes what happened. Those are left out here.
 */
const descriptive: Record<string, string[]> = {
  en: ['anal', 'anus', 'butt', 'cum', 'daterape', 'domination', 'erotic', 'escort', 'genitals', 'grope', 'hardcore', 'hooker', 'incest', 'intercourse', 'nude', 'nudity', 'paedophile', 'pedophile', 'rape', 'raping', 'rapist', 'sex', 'sexual', 'sexually', 'sexuality', 'suck', 'sucks', 'swastika', 'tit', 'topless', 'undressing', 'voyeur', 'xx'],
  nl: ['aftrekken', 'afwerkplaats', 'anita', 'asbak', 'aso', 'balen', 'bedonderen', 'bekken', 'belazeren', 'beurt', 'boemelen', 'del', 'drol', 'flikken', 'gat', 'gedoogzone', 'griet', 'hol', 'huisdealer', 'kanen', 'knor', 'matje', 'muts', 'naaien', 'naakt', 'nicht', 'paal', 'palen', 'penoze', 'piesen', 'poep', 'poepen', 'poot', 'pot', 'raaskallen', 'remsporen', 'reutelen', 'rukken', 'schatje', 'spuiten', 'standje', 'stootje', 'stront', 'toeter', 'vergallen', 'wippen', 'zaadje', 'zuigen'],
  fr: ['baiser', 'bourre', 'bourree', 'caca', 'folle', 'gerbe', 'gerber', 'jouir', 'meuf', 'peter', 'pipi', 'pisser', 'ramoner', 'tanche', 'trique'],
  tr: [],
  pl: ['dmuchac', 'jajko', 'rzygac', 'syf'],
  ar: ['اغتصاب', 'بيضان', 'ثدي', 'جماع', 'احتلام', 'شهوه', 'لعق', 'لحس'],
  es: ['asesinato', 'asno', 'caca', 'chupeton', 'concha', 'drogas', 'esperma', 'heroina', 'infierno', 'maciza', 'martillo', 'nazi', 'orina', 'pedo', 'pezon', 'pis', 'prostituta', 'racista', 'semen', 'sexo', 'travesti', 'trio', 'vulva'],
  de: ['bonze', 'kimme', 'mufti', 'nackt', 'penis', 'pinkeln', 'popel', 'rosette'],
}

const lists: Record<string, string[]> = { ar, de, en, es, fr, nl, pl, tr }
const matchers = new Map<string, TermMatcher<{ language: string }>>()

/** The profanity matcher of one language, built on first use; undefined for a language without a list. */
function profanityMatcher(language: string): TermMatcher<{ language: string }> | undefined {
  const list = lists[language]
  if (!list) return undefined
  let matcher = matchers.get(language)
  if (!matcher) {
    const skip = new Set(descriptive[language] ?? [])
    matcher = new TermMatcher(list.filter((word) => !skip.has(fold(word).text)).map((term) => ({ term, data: { language } })))
    matchers.set(language, matcher)
  }
  return matcher
}

const slurMatcher = new TermMatcher<Slur>(slurs.map((slur) => ({ term: slur.term, within: slur.within ?? false, data: slur })))

/**
 * Slurs in any language (residents mix languages), profanity in the declared and detected languages and in English,
 * the lingua franca of insults. A span flagged as a slur is not flagged again as profanity.
 */
export function findAbuse(text: string, languages: readonly string[]): ComputedFlag[] {
  const flags: ComputedFlag[] = slurMatcher.find(text).map((m) => ({
    kind: 'slur',
    reason: `slur against ${m.term.data!.target.replace(/_/g, ' ')} people (Nabij list)`,
    details: { target: m.term.data!.target },
    start: m.start,
    end: m.end,
    match: m.match,
  }))
  for (const language of new Set([...languages, 'en'])) {
    for (const m of profanityMatcher(language)?.find(text) ?? []) {
      if (flags.some((f) => m.start < f.end && m.end > f.start)) continue
      flags.push({ kind: 'profanity', reason: `profanity (LDNOOBW list, ${language})`, details: { language }, start: m.start, end: m.end, match: m.match })
    }
  }
  return flags.sort((a, b) => a.start - b.start)
}
