/**
 * The typed client of the staff API, grouped by capability, over the app's one `request` (see session.ts for the
 * CSRF token and session expiry). Types come from the shared schemas; nothing here is bundled for residents.
 */
import type {
  AddFlagBody, MergeBody, ModerationPhoto, ModerationQueue, ModerationReply, ModerationReport, Rectangle, ReplyDecision, ReportDecisionBody,
} from '@nabij/shared/api/moderation'
import type {
  AuditPage, AuditQuery, ContactReply, CreateStaffBody, HandoverNoteView, StaffProfile, StaffReportDetail, StaffReportsPage, StaffReportsQuery,
  StaffUserView, TotpSetupReply, UpdateStaffBody,
} from '@nabij/shared/api/staff'
import type {
  NeighbourhoodPost, PostBody, PostList, PostPatchBody, PostUpdateBody, StaffTimelineItem, StaffTimelineReply, TranslateReply,
  TranslateStatusReply,
} from '@nabij/shared/api/updates'
import type { AssignBody, DueBody, StatusChangeBody, TeamReply, WorkflowState } from '@nabij/shared/api/workflow'
import type {
  AdminZone, AssignOfficerBody, HandoverBody, HandoverReply, ImportZonesBody, ImportZonesReply, PublicZone, RoutingRuleBody,
  RoutingRuleView, UpdateZoneBody, ZoneOfficerView, ZoneSummary,
} from '@nabij/shared/api/zones'
import type { Language } from '@nabij/shared/domain/languages'
import { request } from '../api/client'
import { staffRequest } from './session'

export type { AddFlagBody, Flag, ModerationPhoto, ModerationQueue, ModerationReply, ModerationReport, Rectangle, ReportDecision } from '@nabij/shared/api/moderation'
export type {
  AuditEntryView, ContactReply, HandoverNoteView, StaffMe, StaffProfile, StaffReportDetail, StaffReportSummary, StaffUserView,
} from '@nabij/shared/api/staff'
export type { NeighbourhoodPost, PostBody, StaffTimelineItem as TimelineEntry } from '@nabij/shared/api/updates'
export type { WorkflowState } from '@nabij/shared/api/workflow'
export type { AdminZone, ImportZonesReply, PublicZone, RoutingRuleBody, RoutingRuleView, ZoneOfficerView, ZoneSummary } from '@nabij/shared/api/zones'

/** The queue filters; the server pages and sorts oldest first. */
export type QueueFilter = Partial<Omit<StaffReportsQuery, 'page' | 'pageSize'>> & { page?: number; pageSize?: number }

/** Repeats array values (`status=new&status=acknowledged`), which the shared query schemas expect. */
function withQuery(path: string, query: Record<string, string | number | boolean | readonly (string | number)[] | undefined>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item))
  }
  const text = params.toString()
  return text ? `${path}?${text}` : path
}

const ref = (reference: string) => encodeURIComponent(reference)

export const staffApi = {
  account: {
    changePassword: (currentPassword: string, newPassword: string) =>
      staffRequest<void>('/staff/me/password', { method: 'PUT', body: { currentPassword, newPassword } }),
    totpSetup: () => staffRequest<TotpSetupReply>('/staff/me/totp/setup', { method: 'POST', body: {} }),
    totpEnable: (secret: string, code: string) => staffRequest<void>('/staff/me/totp', { method: 'POST', body: { secret, code } }),
    totpDisable: (password: string) => staffRequest<void>('/staff/me/totp', { method: 'DELETE', body: { password } }),
    /** What residents may see of the signed-in staff member: first name, photo, and whether the photo is shown. */
    profile: () => staffRequest<StaffProfile>('/staff/me/profile'),
    showPhoto: (photoPublic: boolean) => staffRequest<StaffProfile>('/staff/me/profile', { method: 'PATCH', body: { photoPublic } }),
    uploadPhoto: (photo: File) => {
      const form = new FormData()
      form.append('photo', photo, photo.name)
      return staffRequest<StaffProfile>('/staff/me/photo', { method: 'PUT', body: form })
    },
    removePhoto: () => staffRequest<StaffProfile>('/staff/me/photo', { method: 'DELETE' }),
  },
  reports: {
    queue: (filter: QueueFilter) => staffRequest<StaffReportsPage>(withQuery('/staff/reports', filter)),
    get: (reference: string) => staffRequest<StaffReportDetail>(`/staff/reports/${ref(reference)}`),
    /** Audited on the server: every call is a line in the audit log. */
    contact: (reference: string) => staffRequest<ContactReply>(`/staff/reports/${ref(reference)}/contact`),
    timeline: async (reference: string) => (await staffRequest<StaffTimelineReply>(`/staff/reports/${ref(reference)}/updates`)).items,
    workflow: (reference: string) => staffRequest<WorkflowState>(`/staff/reports/${ref(reference)}/workflow`),
    team: async (reference: string) => (await staffRequest<TeamReply>(`/staff/reports/${ref(reference)}/team`)).items,
    setStatus: (reference: string, body: StatusChangeBody) => staffRequest<WorkflowState>(`/staff/reports/${ref(reference)}/status`, { method: 'POST', body }),
    assign: (reference: string, body: AssignBody) => staffRequest<WorkflowState>(`/staff/reports/${ref(reference)}/assign`, { method: 'POST', body }),
    setDue: (reference: string, body: DueBody) => staffRequest<WorkflowState>(`/staff/reports/${ref(reference)}/due`, { method: 'POST', body }),
    postUpdate: (reference: string, body: PostUpdateBody) =>
      staffRequest<StaffTimelineItem>(`/staff/reports/${ref(reference)}/updates`, { method: 'POST', body }),
  },
  translate: {
    available: async () => (await staffRequest<TranslateStatusReply>('/staff/translate')).available,
    suggest: (text: string, from: Language, to: Language[]) =>
      staffRequest<TranslateReply>('/staff/translate', { method: 'POST', body: { text, from, to } }),
  },
  posts: {
    list: (zoneId: number) => staffRequest<PostList>(withQuery(`/staff/zones/${zoneId}/posts`, { limit: 50 })),
    create: (zoneId: number, body: PostBody) => staffRequest<NeighbourhoodPost>(`/staff/zones/${zoneId}/posts`, { method: 'POST', body }),
    edit: (zoneId: number, postId: number, body: PostPatchBody) =>
      staffRequest<NeighbourhoodPost>(`/staff/zones/${zoneId}/posts/${postId}`, { method: 'PATCH', body }),
    withdraw: (zoneId: number, postId: number) =>
      staffRequest<NeighbourhoodPost>(`/staff/zones/${zoneId}/posts/${postId}/withdraw`, { method: 'POST', body: {} }),
    uploadPhoto: (zoneId: number, photo: File) => {
      const form = new FormData()
      form.append('photo', photo, photo.name)
      return staffRequest<{ photoId: string }>(`/staff/zones/${zoneId}/posts/photos`, { method: 'POST', body: form })
    },
  },
  handovers: {
    list: () => staffRequest<HandoverNoteView[]>('/staff/handovers'),
    writeNote: (id: number, note: string) => staffRequest<HandoverNoteView>(`/staff/handovers/${id}/note`, { method: 'PUT', body: { note } }),
    markSeen: (id: number) => staffRequest<HandoverNoteView>(`/staff/handovers/${id}/seen`, { method: 'POST', body: {} }),
  },
  moderation: {
    queue: (query: { type?: 'report' | 'reply'; sort?: 'priority' | 'newest'; page?: number; pageSize?: number } = {}) =>
      staffRequest<ModerationQueue>(withQuery('/staff/moderation/queue', query)),
    report: (reference: string) => staffRequest<ModerationReport>(`/staff/moderation/reports/${ref(reference)}`),
    decide: (reference: string, body: ReportDecisionBody) =>
      staffRequest<ModerationReport>(`/staff/moderation/reports/${ref(reference)}/decision`, { method: 'POST', body }),
    merge: (reference: string, body: MergeBody) =>
      staffRequest<ModerationReport>(`/staff/moderation/reports/${ref(reference)}/merge`, { method: 'POST', body }),
    reply: (id: number) => staffRequest<ModerationReply>(`/staff/moderation/replies/${id}`),
    decideReply: (id: number, decision: ReplyDecision, reason: string) =>
      staffRequest<ModerationReply>(`/staff/moderation/replies/${id}/decision`, { method: 'POST', body: { decision, reason } }),
    flagReport: (reference: string, body: AddFlagBody) =>
      staffRequest<ModerationReport>(`/staff/moderation/reports/${ref(reference)}/flags`, { method: 'POST', body }),
    flagReply: (id: number, body: AddFlagBody) => staffRequest<ModerationReply>(`/staff/moderation/replies/${id}/flags`, { method: 'POST', body }),
    removeFlag: (flagId: number) => staffRequest<void>(`/staff/moderation/flags/${flagId}`, { method: 'DELETE' }),
    redact: (photoId: string, rectangles: Rectangle[]) =>
      staffRequest<ModerationPhoto>(`/staff/moderation/photos/${photoId}/redaction`, { method: 'POST', body: { rectangles } }),
  },
  zones: {
    /** Outlines of the active zones, for maps (public). */
    outlines: () => request<PublicZone[]>('/zones'),
    /** Names only, for pickers. */
    names: () => request<ZoneSummary[]>('/zones', { query: { geometry: 'false' } }),
    list: () => staffRequest<AdminZone[]>('/staff/zones'),
    import: (body: ImportZonesBody) => staffRequest<ImportZonesReply>('/zones/import', { method: 'POST', body }),
    update: (id: number, body: UpdateZoneBody) => staffRequest<AdminZone>(`/zones/${id}`, { method: 'PATCH', body }),
    officers: (id: number) => staffRequest<ZoneOfficerView[]>(`/zones/${id}/officers`),
    assignOfficer: (id: number, body: AssignOfficerBody) => staffRequest<ZoneOfficerView[]>(`/zones/${id}/officers`, { method: 'POST', body }),
    endAssignment: (id: number, assignmentId: number) =>
      staffRequest<ZoneOfficerView[]>(`/zones/${id}/officers/${assignmentId}`, { method: 'DELETE' }),
    handOver: (id: number, body: HandoverBody) => staffRequest<HandoverReply>(`/zones/${id}/handover`, { method: 'POST', body }),
  },
  users: {
    list: () => staffRequest<StaffUserView[]>('/staff/users'),
    create: (body: CreateStaffBody) => staffRequest<StaffUserView>('/staff/users', { method: 'POST', body }),
    update: (id: number, body: UpdateStaffBody) => staffRequest<StaffUserView>(`/staff/users/${id}`, { method: 'PATCH', body }),
  },
  routing: {
    list: () => staffRequest<RoutingRuleView[]>('/routing-rules'),
    create: (body: RoutingRuleBody) => staffRequest<RoutingRuleView>('/routing-rules', { method: 'POST', body }),
    update: (id: number, body: RoutingRuleBody) => staffRequest<RoutingRuleView>(`/routing-rules/${id}`, { method: 'PUT', body }),
    disable: (id: number) => staffRequest<RoutingRuleView>(`/routing-rules/${id}`, { method: 'DELETE' }),
  },
  audit: {
    search: (query: Partial<AuditQuery>) => staffRequest<AuditPage>(withQuery('/staff/audit', query)),
  },
}
