import { sql, type SQL } from 'drizzle-orm'

/**
 * The next public reference, computed in the INSERT itself from a sequence: NB-<year in Brussels>-<6+ digits>.
 * A sequence never blocks concurrent intakes (a counter row would); gaps after a rollback are harmless.
 */
export function nextReferenceSql(): SQL<string> {
  return sql<string>`'NB-' || to_char(now() at time zone 'Europe/Brussels', 'YYYY') || '-' || lpad(nextval('report_reference_seq')::text, 6, '0')`
}

export const referencePattern = /^NB-\d{4}-\d{6,}$/
