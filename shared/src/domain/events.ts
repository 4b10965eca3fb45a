/**
 * Every state change is a row in `events` with a monotonically increasing id; NOTIFY carries only that id, and
 * clients resume from the last id they saw.
 */
export const eventTypes = [
  'report.filed',
  'report.status_changed',
  'report.update_posted',
  'report.reporter_replied',
  'report.reassigned',
  'report.moderated',
  'report.merged',
  'report.officer_changed',
  'report.due_changed',
  'zone.post_published',
  'zone.post_updated',
  'zone.post_withdrawn',
  'zones.changed',
] as const
export type EventType = (typeof eventTypes)[number]

export const notifyChannel = 'nabij_events'
