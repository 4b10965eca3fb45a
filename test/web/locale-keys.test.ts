import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { useTranslation } from 'i18next-vue'
import { cannedUpdateKeys } from '../../shared/src/domain/canned-updates.js'
import { categories } from '../../shared/src/domain/categories.js'
import { languageCodes } from '../../shared/src/domain/languages.js'
import { closeReasons, statuses } from '../../shared/src/domain/statuses.js'
import CategoryPicker from '../../web/src/components/CategoryPicker.vue'
import PhotoPicker from '../../web/src/components/PhotoPicker.vue'
import ReportTimeline from '../../web/src/components/ReportTimeline.vue'
import StatusBadge from '../../web/src/components/StatusBadge.vue'
import ZoneStatsCards from '../../web/src/public/ZoneStatsCards.vue'
import NotFoundView from '../../web/src/public/NotFoundView.vue'
import HomeView from '../../web/src/resident/HomeView.vue'
import ReceiptPanel from '../../web/src/resident/ReceiptPanel.vue'
import ReportDetailsStep from '../../web/src/resident/ReportDetailsStep.vue'
import ReportIdentityStep from '../../web/src/resident/ReportIdentityStep.vue'
import { useReportDraft } from '../../web/src/resident/useReportDraft'
import { mountIn, rawKey } from './helpers/mount'

type Tree = { [key: string]: string | Tree }
const locales = Object.fromEntries(languageCodes.map((code) => [
  code,
  JSON.parse(readFileSync(resolve(`shared/src/locales/${code}.json`), 'utf8')) as Tree,
]))
const has = (tree: Tree, key: string) => typeof key.split('.').reduce<Tree | string | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), tree) === 'string'

/** The resident and public faces (the staff faces have their own tests). Paths are from the repository root, where vitest runs. */
const webSrc = resolve('web/src') + '/'
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'staff' ? [] : sources(path)
    return /\.(ts|vue)$/.test(name) ? [path] : []
  })
}

/** Every literal key in the code: 'ui.x.y' and friends, wherever they appear (t(), ternaries, props); keys are single-quoted by house style. */
function literalKeys(): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of sources(webSrc)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/'((?:ui|errors|category|status|close_reason|target|update)\.[a-z_]+(?:\.[a-z_]+)*)'/g)) {
      found.set(match[1]!, file.slice(webSrc.length))
    }
  }
  return found
}

/** Keys the code builds from domain values: every value of each domain list must have its key. */
const builtKeys = [
  ...categories.flatMap((c) => [`category.${c.key}.label`, `category.${c.key}.help`, `target.${c.target}`]),
  ...statuses.map((s) => `status.${s}`),
  ...closeReasons.map((r) => `close_reason.${r}`),
  ...cannedUpdateKeys.map((k) => `update.${k}`),
  ...['category', 'location', 'details', 'identity', 'review'].map((s) => `ui.report.steps.${s}`),
  ...['staff', 'reporter', 'system'].map((a) => `ui.timeline.author_${a}`),
]

describe('the locale keys the web app uses', () => {
  it('are found in the code (the scan itself works)', () => {
    expect(literalKeys().size).toBeGreaterThan(150)
  })

  it.each(languageCodes)('all exist in %s', (code) => {
    const missing = [...literalKeys()].filter(([key]) => !has(locales[code]!, key)).map(([key, file]) => `${key} (${file})`)
    const missingBuilt = builtKeys.filter((key) => !has(locales[code]!, key))
    expect([...missing, ...missingBuilt]).toEqual([])
  })
})

const stats = {
  zoneId: 1, from: '2026-10', to: '2026-11', timezone: 'Europe/Brussels' as const, smallCountThreshold: 5,
  months: [{
    month: '2026-11',
    received: { value: 12, suppressed: false },
    byCategory: [],
    hoursToAcknowledgement: { median: { value: 5, suppressed: false }, p90: { value: 20, suppressed: false } },
    hoursToFirstPublicAnswer: { median: { value: 30.5, suppressed: false }, p90: { value: null, suppressed: true } },
    answeredWithinPromise: { share: { value: 0.75, suppressed: false } },
    closeReasons: [],
    visibleAnswer: { share: { value: null, suppressed: true } },
  }],
}
const timeline = [
  { id: 1, at: '2026-11-22T10:00:00Z', author: 'staff' as const, kind: 'canned' as const, visibility: 'public' as const, cannedKey: 'patrols_increased', text: null, language: null, photos: [] },
  { id: 2, at: '2026-11-22T11:00:00Z', author: 'staff' as const, kind: 'question' as const, visibility: 'reporter' as const, text: 'Wanneer precies?', language: 'nl', photos: [] },
  { id: 3, at: '2026-11-22T12:00:00Z', author: 'reporter' as const, kind: 'message' as const, visibility: 'reporter' as const, text: 'Elke avond.', language: 'nl', photos: [] },
]

/** Components that render without the server, with the props a real page gives them. */
const screens = [
  { name: 'HomeView', component: HomeView, props: {} },
  { name: 'NotFoundView', component: NotFoundView, props: {} },
  { name: 'CategoryPicker', component: CategoryPicker, props: { modelValue: 'police_conduct', categories: categories.map((c) => ({ ...c, label: '', help: '', targetLabel: '' })), legend: 'x' } },
  { name: 'PhotoPicker', component: PhotoPicker, props: { modelValue: [] } },
  { name: 'StatusBadge', component: StatusBadge, props: { status: 'closed', closeReason: 'no_action_possible' } },
  { name: 'ReportTimeline', component: ReportTimeline, props: { items: timeline, token: 't' } },
  { name: 'ReceiptPanel', component: ReceiptPanel, props: { reference: 'NB-2026-000001', code: '1111 2222 3333 4444', named: true } },
  { name: 'ReportDetailsStep', component: ReportDetailsStep, props: { showError: true } },
  { name: 'ReportIdentityStep', component: ReportIdentityStep, props: { showError: true } },
  { name: 'ZoneStatsCards', component: ZoneStatsCards, props: { stats } },
]

describe('rendered in every language', () => {
  it('a key the locale lacks is caught (the check itself works)', async () => {
    const Probe = defineComponent({ setup() { const { t } = useTranslation(); return () => h('p', t('ui.no_such_key')) } })
    const { wrapper, missing } = await mountIn(Probe, 'nl')
    expect(missing).toEqual(['ui.no_such_key'])
    expect(wrapper.text()).toMatch(rawKey)
  })

  describe.each(languageCodes)('%s', (code) => {
    it.each(screens)('$name shows no raw key', async ({ component, props }) => {
      const { draft } = useReportDraft()
      draft.anonymous = false // the named branch of the identity step, with its contact fields
      const { wrapper, missing } = await mountIn(component, code, { props } as never)
      expect(missing).toEqual([])
      expect(wrapper.text()).not.toMatch(rawKey)
      expect(wrapper.text().trim()).not.toBe('')
      wrapper.unmount()
    })
  })
})
