import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moderationStates, publicModerationStates, statuses, visibilities } from '@nabij/shared/domain/statuses'
import { photos } from '../../../server/src/db/schema.js'
import { LocalPhotoStorage } from '../../../server/src/modules/photos/storage.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aZone } from '../helpers/factories.js'
import { aReport, anUpdate } from '../moderation/helpers.js'

let t: TestApp
let storage: LocalPhotoStorage
beforeAll(async () => {
  t = await startApp()
  storage = new LocalPhotoStorage(t.config.photoDir)
})
afterAll(() => t.close())

const photoState = fc.record({ redacted: fc.boolean(), onUpdate: fc.option(fc.nat(3), { nil: null }) })
const updateState = fc.record({
  author: fc.constantFrom('staff', 'reporter', 'system'),
  visibility: fc.constantFrom(...visibilities),
  moderationState: fc.constantFrom(...moderationStates),
})
const reportState = fc.record({
  moderationState: fc.constantFrom(...moderationStates),
  hasSummary: fc.boolean(),
  status: fc.constantFrom(...statuses),
  updates: fc.array(updateState, { maxLength: 4 }),
  photos: fc.array(photoState, { maxLength: 3 }),
})

let run = 0

/**
 * Whatever state a report, its updates and its photos are in, the public side shows only what a moderator
 * published: the summary or the approved original, officers' public updates, confirmed redacted photos.
 */
describe('the public side', () => {
  it('never returns anything unmoderated, over random moderation states', async () => {
    await fc.assert(fc.asyncProperty(fc.array(reportState, { minLength: 1, maxLength: 5 }), async (states) => {
      const tag = `r${++run}`
      const zone = await aZone(t.db)
      const expected = new Map<string, { text: string; updates: string[]; photos: string[] }>()
      const photoChecks: { id: string; servable: boolean }[] = []
      const secrets: string[] = []

      for (const [i, state] of states.entries()) {
        const original = `ORIGINAL-${tag}-${i}`
        const summary = `SUMMARY-${tag}-${i}`
        const report = await aReport(t.db, {
          zoneId: zone.id, status: state.status, moderationState: state.moderationState,
          description: original, publicSummary: state.hasSummary ? summary : null,
        })
        const isPublic = (publicModerationStates as readonly string[]).includes(state.moderationState)
          && (state.moderationState === 'published_original' || state.hasSummary)
        const shownText = state.moderationState === 'published_original' ? original : summary
        if (!isPublic || state.moderationState === 'published_summary') secrets.push(original)
        if (!isPublic || state.moderationState === 'published_original') secrets.push(summary)

        const updateIds: number[] = []
        const publicUpdateIds = new Set<number>()
        const shownUpdates: string[] = []
        for (const [k, u] of state.updates.entries()) {
          const text = `UPDATE-${tag}-${i}-${k}`
          const row = await anUpdate(t.db, report.id, { author: u.author, visibility: u.visibility, moderationState: u.moderationState, text })
          updateIds.push(row.id)
          if (u.visibility === 'public' && u.author !== 'reporter') {
            publicUpdateIds.add(row.id)
            shownUpdates.push(text)
          } else {
            secrets.push(text)
          }
        }

        const shownPhotos: string[] = []
        for (const [k, p] of state.photos.entries()) {
          const updateId = p.onUpdate === null ? null : (updateIds[p.onUpdate % Math.max(1, updateIds.length)] ?? null)
          const key = `${tag}/${i}-${k}`
          await storage.put(`${key}-full.webp`, Buffer.from(`UNREDACTED ${key}`))
          await storage.put(`${key}-thumb.webp`, Buffer.from(`UNREDACTED ${key}`))
          if (p.redacted) {
            await storage.put(`${key}-public.webp`, Buffer.from(`REDACTED ${key}`))
            await storage.put(`${key}-public-thumb.webp`, Buffer.from(`REDACTED ${key}`))
          }
          const [row] = await t.db.insert(photos).values({
            reportId: report.id, updateId, storageKey: `${key}-full.webp`, thumbKey: `${key}-thumb.webp`, width: 10, height: 10, bytes: 10,
            ...(p.redacted ? { redactedKey: `${key}-public.webp`, redactedThumbKey: `${key}-public-thumb.webp`, redactions: [] } : {}),
          }).returning()
          const servable = isPublic && p.redacted && (updateId === null || publicUpdateIds.has(updateId))
          photoChecks.push({ id: row!.id, servable })
          if (servable && updateId === null) shownPhotos.push(row!.id)
        }

        if (isPublic) expected.set(report.reference, { text: shownText, updates: shownUpdates, photos: shownPhotos })
        else {
          const res = await t.app.inject(`/api/public/reports/${report.reference}`)
          expect(res.statusCode).toBe(404)
        }
      }

      const listed = await t.app.inject(`/api/public/reports?zone=${zone.id}&pageSize=100`)
      const items = listed.json().items as { reference: string; text: string; photos: { id: string }[] }[]
      expect(new Set(items.map((i) => i.reference))).toEqual(new Set(expected.keys()))
      for (const item of items) {
        expect(item.text).toBe(expected.get(item.reference)!.text)
        expect(item.photos.map((p) => p.id)).toEqual(expected.get(item.reference)!.photos)
      }
      const bodies = [listed.body]
      for (const [reference, want] of expected) {
        const res = await t.app.inject(`/api/public/reports/${reference}`)
        expect(res.statusCode).toBe(200)
        const body = res.json()
        expect(body.text).toBe(want.text)
        expect(body.updates.map((u: { text: string }) => u.text)).toEqual(want.updates)
        bodies.push(res.body)
      }
      for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret)

      for (const check of photoChecks) {
        for (const path of [`/api/public/photos/${check.id}`, `/api/public/photos/${check.id}/thumb`]) {
          const res = await t.app.inject(path)
          expect(res.statusCode, path).toBe(check.servable ? 200 : 404)
          if (check.servable) expect(res.body.startsWith('REDACTED ')).toBe(true)
          expect(res.body).not.toContain('UNREDACTED')
        }
      }
    }), { numRuns: 30 })
  })
})
