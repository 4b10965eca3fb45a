export const roles = ['officer', 'moderator', 'partner', 'oversight', 'admin'] as const
export type Role = (typeof roles)[number]

/** A staff password's shortest length, checked by the server and told by the forms. */
export const passwordMinLength = 12

/** Which queue each non-officer role works; officers work the reports routed to their zones. */
export const roleQueue = { partner: 'municipality', oversight: 'oversight' } as const
