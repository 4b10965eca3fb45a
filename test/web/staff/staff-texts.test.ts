import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cannedUpdateKeys } from '../../../shared/src/domain/canned-updates.js'
import { categories } from '../../../shared/src/domain/categories.js'
import { languageCodes } from '../../../shared/src/domain/languages.js'
import { replyDecisions, reportDecisions } from '../../../shared/src/domain/moderation.js'
import { queues, queueSorts, statuses } from '../../../shared/src/domain/statuses.js'

type Tree = { [key: string]: string | Tree }
const locales = Object.fromEntries(languageCodes.map((code) => [code, JSON.parse(readFileSync(resolve(`shared/src/locales/${code}.json`), 'utf8')) as Tree]))
const has = (tree: Tree, key: string) => typeof key.split('.').reduce<Tree | string | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), tree) === 'string'

const staffSrc = resolve('web/src/staff')
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|vue)$/.test(name) ? [path] : []
  })
}

/** Every key the staff pages name literally, and those they build from domain lists and fixed option lists. */
function staffKeys(): string[] {
  const literal = sources(staffSrc).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/'((?:ui|errors|category|status|close_reason|update|role|moderation|language_name)\.[a-z_]+(?:\.[a-z_]+)*)'/g)].map((m) => m[1]!))
  const built = [
    ...statuses.map((s) => `ui.staff.status.${s}`),
    ...queues.map((q) => `ui.staff.queue.${q}`),
    ...['on_time', 'overdue', 'badly_overdue'].map((o) => `ui.staff.overdue.${o}`),
    ...['public', 'reporter', 'internal'].map((v) => `ui.staff.visibility.${v}`),
    ...['staff', 'reporter', 'system'].map((a) => `ui.staff.timeline.author_${a}`),
    ...['canned', 'message', 'question', 'note'].flatMap((k) => [`ui.staff.composer.kind_${k}`, `ui.staff.composer.submit_${k}`]),
    ...['message', 'question', 'note'].map((k) => `ui.staff.composer.text_label_${k}`),
    ...['update', 'question', 'note'].map((k) => `ui.staff.report.posted_${k}`),
    ...['acknowledged', 'in_progress', 'waiting_for_reporter', 'closed', 'reopen'].map((s) => `ui.staff.status_actions.to_${s}`),
    ...queueSorts.map((k) => `ui.staff.inbox.sort_${k}`),
    ...reportDecisions.map((d) => `ui.staff.moderation.decision_${d}`),
    ...replyDecisions.map((d) => `ui.staff.moderation.reply_decision_${d}`),
    ...['report', 'reply'].map((k) => `ui.staff.moderation.type_${k}`),
    ...['x', 'y', 'width', 'height'].map((f) => `ui.staff.redaction.${f}`),
    ...[...new Set(categories.map((c) => c.target))].map((t) => `ui.staff.routing.target_${t}`),
    ...['contacts', 'places', 'partners', 'priorities'].map((k) => `ui.staff.handover.outline_${k}`),
    ...cannedUpdateKeys.map((k) => `update.${k}`),
  ]
  return [...new Set([...literal, ...built])]
}

describe('the staff texts', () => {
  it.each(languageCodes)('exist in %s for every key the staff pages use', (code) => {
    const keys = staffKeys()
    expect(keys.length).toBeGreaterThan(300)
    const missing = keys.filter((key) => !has(locales[code]!, key))
    expect(missing, `${code}.json lacks: ${missing.join(', ')}`).toEqual([])
  })
})
