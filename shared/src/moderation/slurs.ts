/**
 * Our own curated list of slurs against migrant communities and minorities, as written in Belgium and the Netherlands
 * and in the languages residents use here. The maintained profanity lists (naughty-words) are thin on these, and a tip
 * about a neighbour may carry them. Matching runs on folded text (see normalise.ts), so write each term in plain lower
 * case without diacritics; `within` also catches compounds ("kankermarokkanen"). Each entry names the group it
 * targets, so a moderator sees why it was flagged. Adding a term: check that it is not also an everyday word in one of
 * our ten languages (why "melon", "raton", "polak" and "cygan" are absent), or add a test that shows the risk is low.
 */

export type SlurTarget =
  | 'north_african' | 'arab' | 'muslim' | 'black' | 'jewish' | 'roma' | 'turkish' | 'kurdish' | 'armenian'
  | 'asian' | 'south_asian' | 'latin_american' | 'eastern_european' | 'migrants'

export interface Slur {
  term: string
  target: SlurTarget
  within?: boolean
}

/** Insults that Dutch and German glue onto a group name ("kutmarokkaan", "kankerturk"). */
const dutchInsultPrefixes = ['kut', 'kanker', 'tyfus', 'tering', 'klere', 'pokken', 'vuile']
const dutchGroups: [string, SlurTarget][] = [
  ['marokkaan', 'north_african'], ['marokkanen', 'north_african'], ['marrokaan', 'north_african'], ['turk', 'turkish'],
  ['turken', 'turkish'], ['allochtoon', 'migrants'], ['allochtonen', 'migrants'], ['buitenlander', 'migrants'],
  ['buitenlanders', 'migrants'], ['moslim', 'muslim'], ['moslims', 'muslim'], ['jood', 'jewish'], ['joden', 'jewish'],
  ['zigeuner', 'roma'], ['zigeuners', 'roma'], ['pool', 'eastern_european'], ['polen', 'eastern_european'],
  ['arabier', 'arab'], ['syrier', 'arab'], ['afghaan', 'migrants'], ['asielzoeker', 'migrants'], ['asielzoekers', 'migrants'],
]
/** "sale arabe", "sales noirs": the French pattern. */
const frenchGroups: [string, SlurTarget][] = [
  ['arabe', 'arab'], ['arabes', 'arab'], ['noir', 'black'], ['noirs', 'black'], ['noire', 'black'], ['juif', 'jewish'],
  ['juifs', 'jewish'], ['turc', 'turkish'], ['turcs', 'turkish'], ['rom', 'roma'], ['roms', 'roma'], ['gitan', 'roma'],
  ['gitans', 'roma'], ['musulman', 'muslim'], ['musulmans', 'muslim'], ['marocain', 'north_african'],
  ['marocains', 'north_african'], ['etranger', 'migrants'], ['etrangers', 'migrants'], ['migrant', 'migrants'],
  ['migrants', 'migrants'], ['polonais', 'eastern_european'], ['chinois', 'asian'], ['africain', 'black'], ['africains', 'black'],
]
/** "pis suriyeli": Turkish "dirty …". */
const turkishGroups: [string, SlurTarget][] = [
  ['suriyeli', 'arab'], ['suriyeliler', 'arab'], ['arap', 'arab'], ['araplar', 'arab'], ['kurt', 'kurdish'],
  ['kurtler', 'kurdish'], ['cingene', 'roma'], ['yahudi', 'jewish'], ['ermeni', 'armenian'], ['zenci', 'black'],
  ['afgan', 'migrants'], ['gocmen', 'migrants'], ['multeci', 'migrants'],
]
/** "… de mierda": the Spanish pattern. */
const spanishGroups: [string, SlurTarget][] = [
  ['moro', 'north_african'], ['moros', 'north_african'], ['negro', 'black'], ['negros', 'black'], ['gitano', 'roma'],
  ['gitanos', 'roma'], ['judio', 'jewish'], ['inmigrante', 'migrants'], ['inmigrantes', 'migrants'], ['sudaca', 'latin_american'],
]

export const slurs: readonly Slur[] = [
  // Dutch / Flemish
  { term: 'makak', target: 'north_african', within: true },
  { term: 'geitenneuker', target: 'muslim', within: true },
  { term: 'kameelneuker', target: 'arab', within: true },
  { term: 'kameeldrijver', target: 'arab', within: true },
  { term: 'baardaap', target: 'muslim', within: true },
  { term: 'zandneger', target: 'arab', within: true },
  { term: 'bosneger', target: 'black', within: true },
  { term: 'roetmop', target: 'black', within: true },
  { term: 'neger', target: 'black' },
  { term: 'negers', target: 'black' },
  { term: 'negerin', target: 'black' },
  { term: 'gelukszoeker', target: 'migrants', within: true },
  ...dutchInsultPrefixes.flatMap((prefix) => dutchGroups.flatMap(([group, target]): Slur[] => [
    // "vuile turk" and "vuile-turk" are phrases; only the glued form is one word.
    ...(prefix === 'vuile' ? [] : [{ term: `${prefix}${group}`, target, within: true }]),
    { term: `${prefix} ${group}`, target },
  ])),
  // French
  { term: 'bougnoul', target: 'north_african', within: true },
  { term: 'bicot', target: 'north_african' },
  { term: 'bicots', target: 'north_african' },
  { term: 'crouille', target: 'north_african', within: true },
  { term: 'bamboula', target: 'black' },
  { term: 'negre', target: 'black' },
  { term: 'negres', target: 'black' },
  { term: 'negresse', target: 'black' },
  { term: 'youpin', target: 'jewish', within: true },
  { term: 'chinetoque', target: 'asian', within: true },
  { term: 'niakoue', target: 'asian', within: true },
  ...frenchGroups.flatMap(([group, target]): Slur[] => [
    { term: `sale ${group}`, target },
    { term: `sales ${group}`, target },
  ]),
  // English
  { term: 'nigger', target: 'black', within: true },
  { term: 'nigga', target: 'black' },
  { term: 'niggas', target: 'black' },
  { term: 'sand nigger', target: 'arab' },
  { term: 'towelhead', target: 'muslim', within: true },
  { term: 'raghead', target: 'muslim', within: true },
  { term: 'camel jockey', target: 'arab' },
  { term: 'paki', target: 'south_asian' },
  { term: 'pakis', target: 'south_asian' },
  { term: 'wog', target: 'black' },
  { term: 'wogs', target: 'black' },
  { term: 'kike', target: 'jewish' },
  { term: 'kikes', target: 'jewish' },
  { term: 'wetback', target: 'latin_american', within: true },
  { term: 'spic', target: 'latin_american' },
  { term: 'gyppo', target: 'roma' },
  { term: 'pikey', target: 'roma' },
  // German
  { term: 'kanake', target: 'migrants', within: true },
  { term: 'kanaken', target: 'migrants', within: true },
  { term: 'kummelturke', target: 'turkish', within: true },
  { term: 'kameltreiber', target: 'arab', within: true },
  { term: 'ziegenficker', target: 'muslim', within: true },
  { term: 'musel', target: 'muslim' },
  { term: 'musels', target: 'muslim' },
  { term: 'dreckstuerke', target: 'turkish', within: true },
  { term: 'drecksturke', target: 'turkish', within: true },
  { term: 'drecksaraber', target: 'arab', within: true },
  // Turkish
  ...turkishGroups.map(([group, target]): Slur => ({ term: `pis ${group}`, target })),
  { term: 'ermeni dolu', target: 'armenian' },
  // Arabic
  { term: 'زنجي', target: 'black' },
  { term: 'زنوج', target: 'black' },
  { term: 'عبيد', target: 'black' },
  { term: 'يهودي قذر', target: 'jewish' },
  // Polish
  { term: 'ciapaty', target: 'south_asian', within: true },
  { term: 'ciapaci', target: 'south_asian', within: true },
  { term: 'ciapatych', target: 'south_asian', within: true },
  { term: 'ciapate', target: 'south_asian', within: true },
  { term: 'czarnuch', target: 'black', within: true },
  { term: 'brudas', target: 'migrants' },
  { term: 'brudasy', target: 'migrants' },
  { term: 'banderowiec', target: 'eastern_european', within: true },
  { term: 'banderowcy', target: 'eastern_european', within: true },
  { term: 'kacap', target: 'eastern_european', within: true },
  // Romanian
  { term: 'cioroi', target: 'roma', within: true },
  // Spanish
  { term: 'sudaca', target: 'latin_american', within: true },
  ...spanishGroups.map(([group, target]): Slur => ({ term: `${group} de mierda`, target })),
  // Ukrainian and Russian
  { term: 'чурка', target: 'migrants' },
  { term: 'чурки', target: 'migrants' },
  { term: 'хач', target: 'migrants' },
  { term: 'хачі', target: 'migrants' },
  { term: 'хачи', target: 'migrants' },
  { term: 'жид', target: 'jewish' },
  { term: 'жиди', target: 'jewish' },
  { term: 'жиды', target: 'jewish' },
  { term: 'чорномаз', target: 'black', within: true },
  { term: 'черномаз', target: 'black', within: true },
]
