import type { i18n as I18n } from 'i18next'
import { nextTick } from 'vue'
import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Locale key of the page title (document.title). */
    title?: string
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./resident/HomeView.vue'), meta: { title: 'ui.nav.home' } },
  {
    path: '/report/:step(category|location|details|identity|review|receipt)?',
    name: 'report',
    component: () => import('./resident/ReportView.vue'),
    meta: { title: 'ui.nav.report' },
  },
  { path: '/follow-up', alias: '/follow', name: 'follow-up', component: () => import('./resident/FollowUpView.vue'), meta: { title: 'ui.nav.follow_up' } },
  {
    path: '/neighbourhoods',
    name: 'neighbourhoods',
    component: () => import('./public/NeighbourhoodListView.vue'),
    meta: { title: 'ui.nav.neighbourhoods' },
  },
  {
    path: '/neighbourhoods/:id(\\d+)',
    name: 'neighbourhood',
    component: () => import('./public/NeighbourhoodView.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: 'ui.nav.neighbourhoods' },
  },
  // The staff faces (officer, moderator, admin) live in web/src/staff/ and load only when a staff member opens them.
  { path: '/staff/:rest(.*)*', name: 'staff', component: () => import('./staff/StaffHomeView.vue'), meta: { title: 'ui.nav.staff' } },
  { path: '/:missing(.*)*', name: 'not-found', component: () => import('./public/NotFoundView.vue'), meta: { title: 'ui.not_found' } },
]

export function createAppRouter(i18next: I18n): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes,
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })

  const setTitle = (key: string | undefined) => {
    const app = i18next.t('ui.app_name')
    document.title = key ? `${i18next.t(key)} · ${app}` : app
  }
  let first = true
  router.afterEach((to, from) => {
    setTitle(to.meta.title)
    // Screen-reader and keyboard users land on the new page's heading, not on the link they just used.
    if (!first && to.path !== from.path) void nextTick(() => focusHeading())
    first = false
  })
  i18next.on('languageChanged', () => setTitle(router.currentRoute.value.meta.title))
  return router
}

/** Moves focus to the page's own focus target, else its main heading (both carry tabindex="-1"). */
export function focusHeading(): void {
  const heading = document.querySelector<HTMLElement>('main [data-focus-on-navigate]') ?? document.querySelector<HTMLElement>('main h1')
  heading?.focus({ preventScroll: false })
}
