/**
 * Trigram similarity as pg_trgm computes it (`similarity(a, b)`): the words of a text (runs of letters, digits and
 * combining marks, lower-cased), each padded with two spaces before and one after, cut into the set of their
 * three-character windows; similarity is shared trigrams over all distinct trigrams of both. Computed here rather
 * than in SQL because a flagging batch compares each report with up to 50 earlier ones: pg_trgm re-extracts both
 * texts' trigrams for every pair, while here each text's set is built once per batch (test/server/moderation/
 * similarity.test.ts holds it equal to pg_trgm on both engines).
 */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>()
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? []) {
    const chars = [' ', ' ', ...word, ' ']
    for (let i = 0; i + 2 < chars.length; i++) out.add(chars[i]! + chars[i + 1]! + chars[i + 2]!)
  }
  return out
}

export function trigramSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let shared = 0
  for (const t of small) if (large.has(t)) shared++
  return shared / (a.size + b.size - shared)
}
