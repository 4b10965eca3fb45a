import { queueRoles, type Role } from '@nabij/shared/domain/roles'
import type { RouteLocationNormalized, RouteLocationRaw, RouteRecordRaw, Router } from 'vue-router'
import { currentStaff } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Staff pages: the roles that may open the page; none listed = any signed-in staff member. */
    roles?: readonly Role[]
    /** Staff pages open without a session (the login page). */
    public?: boolean
  }
}

const moderationRoles: readonly Role[] = ['moderator', 'admin']
const admin: readonly Role[] = ['admin']

/** Where each role starts. */
export function homeOf(role: Role): RouteLocationRaw {
  if (role === 'moderator') return { name: 'staff-moderation' }
  if (role === 'admin') return { name: 'staff-admin-zones' }
  return { name: 'staff-inbox' }
}

export const staffRoutes: RouteRecordRaw[] = [
  {
    path: '/staff',
    component: () => import('./StaffLayout.vue'),
    children: [
      // The guard sends /staff on to the role's first page; unknown /staff addresses fall to the app's placeholder.
      { path: '', name: 'staff-home', component: () => import('./StaffHomeView.vue'), meta: { title: 'ui.staff.title' } },
      { path: 'login', name: 'staff-login', component: () => import('./LoginView.vue'), meta: { public: true, title: 'ui.staff.login.title' } },
      { path: 'account', name: 'staff-account', component: () => import('./AccountView.vue'), meta: { title: 'ui.staff.account.title' } },
      { path: 'forbidden', name: 'staff-forbidden', component: () => import('./ForbiddenView.vue'), meta: { title: 'ui.staff.forbidden.title' } },
      { path: 'inbox', name: 'staff-inbox', component: () => import('./inbox/InboxView.vue'), meta: { roles: queueRoles, title: 'ui.staff.nav.inbox' } },
      {
        path: 'reports/:reference',
        name: 'staff-report',
        component: () => import('./report/StaffReportView.vue'),
        props: true,
        meta: { roles: queueRoles, title: 'ui.staff.report.title' },
      },
      { path: 'posts', name: 'staff-posts', component: () => import('./posts/PostsView.vue'), meta: { roles: ['officer', 'admin'], title: 'ui.staff.nav.posts' } },
      { path: 'handover', name: 'staff-handover', component: () => import('./handover/HandoverView.vue'), meta: { roles: ['officer', 'admin'], title: 'ui.staff.nav.handover' } },
      {
        path: 'moderation',
        name: 'staff-moderation',
        component: () => import('./moderation/ModerationQueueView.vue'),
        meta: { roles: moderationRoles, title: 'ui.staff.nav.moderation' },
      },
      {
        path: 'moderation/reports/:reference',
        name: 'staff-moderation-report',
        component: () => import('./moderation/ModerationReportView.vue'),
        props: true,
        meta: { roles: moderationRoles, title: 'ui.staff.moderation.report_title' },
      },
      {
        path: 'moderation/replies/:id(\\d+)',
        name: 'staff-moderation-reply',
        component: () => import('./moderation/ModerationReplyView.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { roles: moderationRoles, title: 'ui.staff.moderation.reply_title' },
      },
      { path: 'admin/zones', name: 'staff-admin-zones', component: () => import('./admin/ZonesView.vue'), meta: { roles: admin, title: 'ui.staff.nav.zones' } },
      { path: 'admin/staff', name: 'staff-admin-staff', component: () => import('./admin/StaffAdminView.vue'), meta: { roles: admin, title: 'ui.staff.nav.staff' } },
      { path: 'admin/routing', name: 'staff-admin-routing', component: () => import('./admin/RoutingView.vue'), meta: { roles: admin, title: 'ui.staff.nav.routing' } },
      { path: 'admin/audit', name: 'staff-admin-audit', component: () => import('./admin/AuditView.vue'), meta: { roles: admin, title: 'ui.staff.nav.audit' } },
    ],
  },
]

/**
 * Who may open a staff page: without a session, the login page (coming back afterwards); with the wrong role, the
 * 403 page. The server refuses the same requests on its own; this only spares the user a page of errors.
 */
export async function staffGuard(to: RouteLocationNormalized): Promise<RouteLocationRaw | true> {
  if (!to.path.startsWith('/staff')) return true
  // Unreachable server: treated as signed out; logging in again says what is wrong, the cookie survives.
  const me = await currentStaff().catch(() => null)
  if (to.meta.public) return me && to.name === 'staff-login' ? homeOf(me.role) : true
  if (!me) return { name: 'staff-login', query: to.fullPath === '/staff' ? {} : { next: to.fullPath } }
  if (to.name === 'staff-home') return homeOf(me.role)
  if (to.meta.roles && !to.meta.roles.includes(me.role)) return { name: 'staff-forbidden', query: { from: to.fullPath } }
  return true
}

/**
 * Adds the staff pages to the app's router the first time a /staff address is opened, so neither their code nor
 * their route table is part of what a resident downloads. Returns whether anything was added.
 */
export function mountStaffRoutes(router: Router): boolean {
  if (router.hasRoute('staff-home')) return false
  for (const route of staffRoutes) router.addRoute(route)
  router.beforeEach(staffGuard)
  return true
}
