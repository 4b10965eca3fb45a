import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '../../../shared/src/locales/fr.json' with { type: 'json' }
import { events } from '../../../server/src/db/schema.js'
import { xmlSafe } from '../../../server/src/modules/feeds/xml.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin } from '../helpers/factories.js'
import { insertReports } from '../stats/rows.js'

let t: TestApp
let zoneId: number
let officer: StaffLogin

beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db, { name: 'Flagey' })).id
  officer = await loginAs(t.app, await aStaff(t.db, { role: 'officer', zoneId }))
})
afterAll(() => t.close())

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => ['entry', 'link'].includes(name) })

interface AtomEntry { id: string; title: { '#text': string }; updated: string; link: { '@_href': string }[]; content: { '#text': string }; published?: string }

async function feed(query = ''): Promise<{ xml: string; feed: Record<string, unknown> & { entry?: AtomEntry[] } }> {
  const res = await t.app.inject(`/api/public/zones/${zoneId}/feed.atom${query}`)
  expect(res.statusCode, res.body).toBe(200)
  expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
  expect(XMLValidator.validate(res.body)).toBe(true)
  return { xml: res.body, feed: parser.parse(res.body).feed }
}

describe('GET /api/public/zones/:id/feed.atom', () => {
  it('is a valid Atom document with the required elements even before anything happened', async () => {
    const { feed: empty } = await feed()
    expect(empty['@_xmlns']).toBe('http://www.w3.org/2005/Atom')
    expect(empty.id).toMatch(/^tag:localhost,2026:nabij:zone:\d+$/)
    expect(empty.title).toBeTruthy()
    expect(Date.parse(String(empty.updated))).not.toBeNaN()
    expect((empty.author as { name: string }).name).toBe('Nabij')
    const links = empty.link as unknown as { '@_rel': string; '@_href': string }[]
    expect(links.find((l) => l['@_rel'] === 'self')!['@_href']).toContain(`/api/public/zones/${zoneId}/feed.atom`)
    expect(empty.entry).toBeUndefined()
  })

  it('carries neighbourhood posts and the status changes of public reports only, newest first, in the asked language', async () => {
    const title = 'Patrols <every> night & "weekends"'
    const created = await t.app.inject({
      method: 'POST', url: `/api/staff/zones/${zoneId}/posts`, headers: officer.headers,
      payload: { title, body: 'We walk the square from 22:00.\nCall 101 in an emergency.', language: 'nl' },
    })
    expect(created.statusCode, created.body).toBe(201)

    const [published, hidden] = await insertReports(t.db, [
      { zoneId, category: 'drugs', createdAt: new Date('2025-04-01T09:00:00Z'), moderationState: 'published_summary', publicSummary: 'Dealing near the square', status: 'closed', closeReason: 'resolved' },
      { zoneId, category: 'nuisance', createdAt: new Date('2025-04-01T09:00:00Z'), moderationState: 'pending', status: 'in_progress' },
    ])
    await t.db.insert(events).values([
      { type: 'report.status_changed', reportId: published!.id, zoneId, payload: { from: 'in_progress', to: 'closed', closeReason: 'resolved' }, createdAt: new Date('2025-04-03T14:47:31Z') },
      { type: 'report.status_changed', reportId: hidden!.id, zoneId, payload: { from: 'new', to: 'in_progress' }, createdAt: new Date('2025-04-03T15:00:00Z') },
    ])

    const { xml, feed: atom } = await feed('?lang=fr')
    expect(xml).not.toContain(hidden!.reference)
    expect(atom['@_xml:lang']).toBe('fr')
    expect(atom.title).toBe(fr.feed.title.replace('{{zone}}', 'Flagey'))
    const entries = atom.entry!
    expect(entries).toHaveLength(2)
    // Newest first: the post (now), then the status change of 3 April.
    const [post, change] = entries as [AtomEntry, AtomEntry]
    expect(post.title['#text']).toBe(title)
    expect(post.content['#text']).toBe('We walk the square from 22:00.\nCall 101 in an emergency.')
    expect(post.id).toMatch(/:post:\d+$/)
    expect(post.published).toBeDefined()
    expect(change.title['#text']).toBe(fr.feed.status_entry.replace('{{reference}}', published!.reference).replace('{{status}}', fr.status.closed))
    expect(change.content['#text']).toBe([fr.category.drugs.label, fr.status.closed, fr.close_reason.resolved].join(' — '))
    // Public times are rounded down to the hour.
    expect(change.updated).toBe('2025-04-03T14:00:00.000Z')
    expect(atom.updated).toBe(post.updated)
    expect(change.link[0]!['@_href']).toBe(`http://localhost:3000/neighbourhoods/${zoneId}#report-${published!.reference}`)
  })

  it('leaves withdrawn posts out', async () => {
    const created = await t.app.inject({
      method: 'POST', url: `/api/staff/zones/${zoneId}/posts`, headers: officer.headers, payload: { title: 'Posted by mistake', body: 'Oops', language: 'nl' },
    })
    const withdrawn = await t.app.inject({ method: 'POST', url: `/api/staff/zones/${zoneId}/posts/${created.json().id}/withdraw`, headers: officer.headers })
    expect(withdrawn.statusCode, withdrawn.body).toBe(200)
    expect((await feed()).xml).not.toContain('Posted by mistake')
  })

  it('answers 404 for an unknown zone', async () => {
    const res = await t.app.inject('/api/public/zones/999999/feed.atom')
    expect(res.statusCode).toBe(404)
    expect(res.json().code).toBe('ZONE_NOT_FOUND')
  })
})

describe('xmlSafe', () => {
  it('drops the characters XML 1.0 cannot carry and keeps everything else', () => {
    expect(xmlSafe('a\u0000b\u0007c\u000Bd\uFFFEe\uD800f')).toBe('abcdef')
    expect(xmlSafe('tab\tnewline\nreturn\r émoji 🚓 عربى')).toBe('tab\tnewline\nreturn\r émoji 🚓 عربى')
  })
})
