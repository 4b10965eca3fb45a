/** Month and day arithmetic in the zone's calendar: figures are per Brussels month, not per UTC month. */
export const timezone = 'Europe/Brussels'

export function brusselsMonth(at: Date): string {
  return at.toLocaleDateString('en-CA', { timeZone: timezone }).slice(0, 7)
}

/** 'YYYY-MM' plus `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const index = y * 12 + (m - 1) + delta
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`
}

export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m)
  return out
}
