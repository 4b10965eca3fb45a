export const roles = ['officer', 'moderator', 'partner', 'oversight', 'admin'] as const
export type Role = (typeof roles)[number]

/** A staff password's shortest length, checked by the server and told by the forms. */
export const passwordMinLength = 12

/**
 * The roles that work reports: their queue and the staff report page with its timeline, internal notes and status
 * actions. Moderators are not among them: they see what residents wrote and showed through the review queue, never
 * officers' internal notes or the private exchange with the reporter.
 */
export const queueRoles = ['officer', 'partner', 'oversight', 'admin'] as const satisfies readonly Role[]

/** Which queue each non-officer role works; officers work the reports routed to their zones. */
export const roleQueue = { partner: 'municipality', oversight: 'oversight' } as const
