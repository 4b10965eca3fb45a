import type { Flag } from '@nabij/shared/api/moderation'

export interface Segment {
  text: string
  /** The flags covering this stretch of text; empty for plain text. */
  flags: Flag[]
}

/**
 * Cuts a text at every flag boundary so overlapping flags (a phone number inside an address) each stay visible.
 * Flags spanning the whole text (the language of the report) say nothing about a passage and are left out.
 */
export function flagSegments(text: string, flags: readonly Flag[]): Segment[] {
  const spans = flags
    .map((flag) => ({ flag, start: Math.max(0, Math.min(text.length, flag.start)), end: Math.max(0, Math.min(text.length, flag.end)) }))
    .filter((s) => s.end > s.start && s.flag.group !== 'language')
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b)
  const segments: Segment[] = []
  for (let i = 0; i < cuts.length - 1; i++) {
    const from = cuts[i]!
    const to = cuts[i + 1]!
    const covering = spans.filter((s) => s.start <= from && s.end >= to).map((s) => s.flag)
    const last = segments.at(-1)
    // Neighbouring plain stretches merge back into one.
    if (last && covering.length === 0 && last.flags.length === 0) last.text += text.slice(from, to)
    else segments.push({ text: text.slice(from, to), flags: covering })
  }
  return segments
}
