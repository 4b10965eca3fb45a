/** What a moderator may decide about a report: what becomes public, if anything. */
export const reportDecisions = ['publish_summary', 'publish_original', 'keep_private', 'reject_spam', 'reject_abuse'] as const
export type ReportDecision = (typeof reportDecisions)[number]

/** What a moderator may decide about a reporter's reply (a reply is never public; accepted, it stays with the officers). */
export const replyDecisions = ['accept', 'reject_spam', 'reject_abuse'] as const
export type ReplyDecision = (typeof replyDecisions)[number]
