import type { EventMessage } from '@nabij/shared/api/live'
import type { StaffTimelineItem } from '@nabij/shared/api/updates'
import type { Language } from '@nabij/shared/domain/languages'
import { publicModerationStates, type ModerationState } from '@nabij/shared/domain/statuses'
import type { ReportUpdate } from '../../db/schema.js'
import { renderUpdate, toHour } from '../reports/followup.js'
import { staffItem } from '../updates/timeline.js'
import type { FeedEvent } from './feed.js'

/**
 * Who is watching decides what an event shows:
 * - staff: the stored payload (they already passed the report's access check);
 * - reporter: what the follow-up page shows them, rendered in their language: never internal notes, staff names,
 *   assignment or due dates, and times rounded to the hour like the rest of the follow-up API;
 * - public: only the public side of a published report, and neighbourhood posts.
 */
export type Audience = 'staff' | 'reporter' | 'public'

/** Contact data never travels in events; this is the second lock on that door. */
const contactKeys = /^(reporter)?(name|email|phone|contact)/i

export function isPublicReport(e: FeedEvent): boolean {
  return e.report !== null && publicModerationStates.includes(e.report.moderationState as ModerationState)
}

/** A stored staff timeline item as the row shape the follow-up renderer reads (the columns it uses). */
function asRow(item: StaffTimelineItem, reportId: number): ReportUpdate {
  const row = {
    id: item.id,
    reportId,
    author: item.author,
    staffId: item.staffId,
    visibility: item.visibility,
    kind: item.kind,
    cannedKey: item.cannedKey,
    text: item.text,
    language: item.language,
    translations: item.translations,
    moderationState: item.moderationState,
    createdAt: new Date(item.createdAt),
  } satisfies Partial<ReportUpdate>
  return row as ReportUpdate
}

function residentUpdate(e: FeedEvent, language: Language, audience: 'reporter' | 'public'): Record<string, unknown> | null {
  const update = e.payload.update as StaffTimelineItem | undefined
  if (!update || e.reportId === null) return null
  const allowed = audience === 'public' ? update.visibility === 'public' : update.visibility === 'public' || update.visibility === 'reporter'
  if (!allowed) return null
  return { update: renderUpdate(asRow(update, e.reportId), [], language) }
}

/** The `data` of an event for one audience, or null when this audience may not see the event at all. */
export function dataFor(e: FeedEvent, audience: Audience, language: Language): Record<string, unknown> | null {
  if (audience === 'staff') {
    const data = Object.fromEntries(Object.entries(e.payload).filter(([key]) => !contactKeys.test(key)))
    return e.reply ? { ...data, update: staffItem(e.reply, null) } : data
  }
  if (e.type.startsWith('zone.post_')) {
    if (e.type === 'zone.post_withdrawn') return { postId: e.payload.postId }
    return e.payload.post ? { post: e.payload.post } : null
  }
  if (audience === 'public' && !isPublicReport(e)) return null
  const p = e.payload
  switch (e.type) {
    case 'report.update_posted':
      return residentUpdate(e, language, audience)
    case 'report.status_changed': {
      const entry = p.update as StaffTimelineItem | undefined
      return {
        from: p.from ?? null,
        to: p.to,
        closeReason: p.closeReason ?? null,
        by: p.by === 'reporter' ? 'reporter' : 'staff',
        ...(entry && e.reportId !== null ? { update: renderUpdate(asRow(entry, e.reportId), [], language) } : {}),
      }
    }
    case 'report.reporter_replied':
      if (audience !== 'reporter') return null
      return { updateId: p.updateId ?? null, ...(e.reply ? { update: renderUpdate(e.reply, [], language) } : {}) }
    case 'report.moderated':
      return { public: isPublicReport(e) }
    default:
      return null
  }
}

export function messageFor(e: FeedEvent, audience: Audience, language: Language): EventMessage | null {
  const data = dataFor(e, audience, language)
  if (data === null) return null
  const staff = audience === 'staff'
  return {
    type: 'event',
    id: e.id,
    eventType: e.type,
    ...(staff && e.reportId !== null ? { reportId: e.reportId } : {}),
    ...(e.report ? { reference: e.report.reference } : {}),
    ...(e.zoneId !== null ? { zoneId: e.zoneId } : {}),
    at: staff ? e.createdAt.toISOString() : toHour(e.createdAt),
    data,
  }
}
