/**
 * Report workflow. Statuses fall in families so queries never list labels by hand; the allowed transitions are one
 * map that both the server (to refuse) and the web app (to offer only legal actions) read.
 */
export const statuses = ['new', 'acknowledged', 'in_progress', 'waiting_for_reporter', 'closed'] as const
export type Status = (typeof statuses)[number]

export const statusFamilies = {
  open: ['new', 'acknowledged', 'in_progress', 'waiting_for_reporter'],
  closed: ['closed'],
} as const satisfies Record<string, readonly Status[]>

export const openStatuses: readonly Status[] = statusFamilies.open

export const transitions: Record<Status, readonly Status[]> = {
  new: ['acknowledged', 'in_progress', 'closed'],
  acknowledged: ['in_progress', 'waiting_for_reporter', 'closed'],
  in_progress: ['waiting_for_reporter', 'closed'],
  waiting_for_reporter: ['in_progress', 'closed'],
  // Reopening is the reporter's right within `reopenWindowDays`, with a reason; staff may reopen too.
  closed: ['in_progress'],
}

export function canTransition(from: Status, to: Status): boolean {
  return transitions[from].includes(to)
}

/** Closing always names a reason; "no action possible" is shown as such, never as solved. */
export const closeReasons = ['resolved', 'referred', 'no_action_possible', 'duplicate'] as const
export type CloseReason = (typeof closeReasons)[number]

export const reopenWindowDays = 14
/** A report is overdue past its promised time and badly overdue at this multiple of it. */
export const badlyOverdueFactor = 3

export type Overdue = 'on_time' | 'overdue' | 'badly_overdue'
export function overdueState(filedAt: Date, promisedHours: number, answeredAt: Date | null, now = new Date()): Overdue {
  const elapsed = ((answeredAt ?? now).getTime() - filedAt.getTime()) / 3_600_000
  if (elapsed > promisedHours * badlyOverdueFactor) return 'badly_overdue'
  if (elapsed > promisedHours) return 'overdue'
  return 'on_time'
}

/** Orders of a staff queue: by filing time, most overdue (against the promised time) first, or by due date. */
export const queueSorts = ['oldest', 'newest', 'overdue', 'due'] as const
export type QueueSort = (typeof queueSorts)[number]

/** Queues a report can be routed to. `central` holds reports outside every zone. */
export const queues = ['zone', 'central', 'municipality', 'oversight'] as const
export type Queue = (typeof queues)[number]

/** What moderation decided about the public side of a report (officers work it regardless). */
export const moderationStates = ['pending', 'published_summary', 'published_original', 'private', 'rejected_spam', 'rejected_abuse', 'merged'] as const
export type ModerationState = (typeof moderationStates)[number]
export const publicModerationStates: readonly ModerationState[] = ['published_summary', 'published_original']

/** Who can see an update in a report's timeline. */
export const visibilities = ['public', 'reporter', 'internal'] as const
export type Visibility = (typeof visibilities)[number]
