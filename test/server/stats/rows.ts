import type { Db } from '../../../server/src/db/connect.js'
import { reports, type NewReport } from '../../../server/src/db/schema.js'

let sequence = 0

export type ReportRow = Partial<NewReport> & Pick<NewReport, 'zoneId' | 'category' | 'createdAt'>

/** Report rows inserted straight into the table (no intake), with the workflow timestamps a test chooses. */
export async function insertReports(db: Db, rows: ReportRow[]): Promise<{ id: number; reference: string }[]> {
  const values = rows.map((row) => ({
    reference: `NB-T-${String(++sequence).padStart(7, '0')}-${process.pid}`,
    description: 'Seeded for a figures test',
    language: 'nl',
    anonymous: true,
    queue: 'zone',
    routingReason: 'test',
    promisedResponseHours: 72,
    ...row,
  }))
  const out: { id: number; reference: string }[] = []
  for (let i = 0; i < values.length; i += 1000) {
    out.push(...await db.insert(reports).values(values.slice(i, i + 1000)).returning({ id: reports.id, reference: reports.reference }))
  }
  return out
}

/** A small deterministic PRNG (mulberry32), so a seeded set is the same on every run and engine. */
export function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
export function percentileCont(values: number[], fraction: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const position = fraction * (sorted.length - 1)
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower)
}

export const hours = (n: number) => n * 3_600_000
