import { smallCountThreshold, type Figure } from '@nabij/shared/api/stats'

/**
 * Small-count suppression for everything published about reports: a figure resting on 1 to 4 reports could single
 * out a reporter ("the only hate incident in the street in March"), so it is published as "< 5". Zero is shown:
 * it describes nobody.
 */
const suppressed: Figure = { value: null, suppressed: true }
const small = (n: number, threshold: number) => n > 0 && n < threshold

export function countFigure(n: number, threshold = smallCountThreshold): Figure {
  return small(n, threshold) ? suppressed : { value: n, suppressed: false }
}

/**
 * A share is a count in disguise (share × denominator), so it is suppressed when either its numerator or its
 * denominator is a small count. No denominator → nothing to measure.
 */
export function shareFigure(numerator: number, denominator: number, threshold = smallCountThreshold): Figure {
  if (denominator === 0) return { value: null, suppressed: false }
  if (small(denominator, threshold) || small(numerator, threshold)) return suppressed
  return { value: round(numerator / denominator, 4), suppressed: false }
}

/** A median or percentile over `n` reports: suppressed when n is small, since one value may be one report's. */
export function measureFigure(value: number | null, n: number, threshold = smallCountThreshold, digits = 1): Figure {
  if (n === 0 || value === null) return { value: null, suppressed: false }
  if (small(n, threshold)) return suppressed
  return { value: round(value, digits), suppressed: false }
}

/**
 * Suppresses a breakdown whose total is published. Primary: every small cell. Secondary: when exactly one cell is
 * suppressed, the total minus the others would give it away, so the smallest other non-zero cell is hidden too.
 */
export function suppressBreakdown<K>(cells: readonly { key: K; n: number }[], totalShown: boolean, threshold = smallCountThreshold): Map<K, Figure> {
  const hidden = new Set(cells.filter((c) => small(c.n, threshold)).map((c) => c.key))
  if (totalShown && hidden.size === 1) {
    const next = cells.filter((c) => c.n > 0 && !hidden.has(c.key)).sort((a, b) => a.n - b.n)[0]
    if (next) hidden.add(next.key)
  }
  return new Map(cells.map((c) => [c.key, hidden.has(c.key) ? suppressed : { value: c.n, suppressed: false }]))
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
