import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, staffUsers } from '../../../server/src/db/schema.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, loginAs } from '../helpers/factories.js'
import { fixture, multipart } from '../photos/fixtures.js'
import { aBeat, type Beat } from '../workflow/fixtures.js'

let t: TestApp
let beat: Beat
beforeAll(async () => {
  t = await startApp()
  beat = await aBeat(t.app, t.db)
})
afterAll(() => t.close())

const base = () => `/api/staff/zones/${beat.zoneId}/posts`
const publish = (payload: object, headers = beat.login.headers, url = base()) => t.app.inject({ method: 'POST', url, headers, payload })
const publicFeed = async (zoneId = beat.zoneId, query = '') => (await t.app.inject({ method: 'GET', url: `/api/public/zones/${zoneId}/posts${query}` })).json()

describe('neighbourhood posts', () => {
  it('publishes a post to the public feed of the zone and announces it', async () => {
    const res = await publish({ title: 'Extra patrols in the park', body: 'This week we patrolled the park every evening.', language: 'en' })

    expect(res.statusCode).toBe(201)
    const post = res.json()
    expect(post).toMatchObject({ zoneId: beat.zoneId, title: 'Extra patrols in the park', language: 'en', photoUrl: null, author: null, withdrawnAt: null })
    expect((await publicFeed()).items[0]).toEqual({ ...post, withdrawnAt: undefined })
    const [event] = await t.db.select().from(events).where(eq(events.type, 'zone.post_published'))
    expect(event).toMatchObject({ zoneId: beat.zoneId, reportId: null, payload: { post: { id: post.id, title: 'Extra patrols in the park' } } })
  })

  it('names the officer by the first name they chose to show, and only then', async () => {
    await t.db.update(staffUsers).set({ publicFirstName: 'Sofie', showOnZonePage: true }).where(eq(staffUsers.id, beat.officer.id))
    try {
      const res = await publish({ title: 'Coffee with your officer', body: 'Saturday 10:00 at the market.', language: 'nl' })
      expect(res.json().author).toBe('Sofie')
    } finally {
      await t.db.update(staffUsers).set({ showOnZonePage: false }).where(eq(staffUsers.id, beat.officer.id))
    }
  })

  it('edits and withdraws a post; the public no longer sees it, the zone’s staff still do', async () => {
    const post = (await publish({ title: 'Bike marking', body: 'Bring your bike on Friday.', language: 'en' })).json()

    const edited = await t.app.inject({ method: 'PATCH', url: `${base()}/${post.id}`, headers: beat.login.headers, payload: { body: 'Bring your bike on Friday, 14:00–17:00.' } })
    expect(edited.statusCode).toBe(200)
    expect(edited.json()).toMatchObject({ title: 'Bike marking', body: 'Bring your bike on Friday, 14:00–17:00.' })

    const withdrawn = await t.app.inject({ method: 'POST', url: `${base()}/${post.id}/withdraw`, headers: beat.login.headers })
    expect(withdrawn.statusCode).toBe(200)
    expect(withdrawn.json().withdrawnAt).not.toBeNull()
    expect((await publicFeed()).items.map((p: { id: number }) => p.id)).not.toContain(post.id)
    const staffList = (await t.app.inject({ method: 'GET', url: base(), headers: beat.login.headers })).json()
    expect(staffList.items.find((p: { id: number }) => p.id === post.id).withdrawnAt).not.toBeNull()
    const types = (await t.db.select().from(events)).filter((e) => e.payload.postId === post.id || (e.payload.post as { id?: number } | undefined)?.id === post.id).map((e) => e.type)
    expect(types).toEqual(['zone.post_published', 'zone.post_updated', 'zone.post_withdrawn'])
  })

  it('pages the public feed newest first', async () => {
    const zone = await aBeat(t.app, t.db)
    for (const n of [1, 2, 3]) await publish({ title: `Post ${n}`, body: 'Text', language: 'en' }, zone.login.headers, `/api/staff/zones/${zone.zoneId}/posts`)

    const first = await publicFeed(zone.zoneId, '?limit=2')
    const second = await publicFeed(zone.zoneId, `?limit=2&before=${first.nextBefore}`)

    expect(first.items.map((p: { title: string }) => p.title)).toEqual(['Post 3', 'Post 2'])
    expect(second.items.map((p: { title: string }) => p.title)).toEqual(['Post 1'])
    expect(second.nextBefore).toBeNull()
  })

  it('refuses officers of other zones and residents, and answers an unknown zone with its code', async () => {
    const other = await aBeat(t.app, t.db)
    const partner = await loginAs(t.app, await aStaff(t.db, { role: 'partner' }))

    const foreign = await publish({ title: 'Hi', body: 'Text', language: 'en' }, other.login.headers)
    const wrongRole = await publish({ title: 'Hi', body: 'Text', language: 'en' }, partner.headers)
    const anonymous = await t.app.inject({ method: 'POST', url: base(), payload: { title: 'Hi', body: 'Text', language: 'en' } })
    const unknown = await t.app.inject({ method: 'GET', url: '/api/public/zones/999999/posts' })

    expect(foreign.statusCode).toBe(403)
    expect(wrongRole.statusCode).toBe(403)
    expect(anonymous.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().code).toBe('ZONE_NOT_FOUND')
  })

  it('shows a post’s photo, stripped of its metadata, while the post is published', async () => {
    const form = multipart({}, [{ field: 'photo', filename: 'park.jpg', type: 'image/jpeg', data: fixture('gps_DSCN0010.jpg') }])
    const upload = await t.app.inject({ method: 'POST', url: `${base()}/photos`, headers: { ...beat.login.headers, ...form.headers }, payload: form.payload })
    expect(upload.statusCode).toBe(201)
    const { photoId } = upload.json()

    const post = (await publish({ title: 'The new lights', body: 'The passage is lit again.', language: 'en', photoId })).json()
    expect(post.photoUrl).toBe(`/api/public/zones/${beat.zoneId}/posts/${post.id}/photo/full`)
    const photo = await t.app.inject({ method: 'GET', url: post.photoThumbUrl })
    expect(photo.statusCode).toBe(200)
    expect(photo.headers['content-type']).toBe('image/webp')
    const meta = await sharp(photo.rawPayload).metadata()
    expect(meta.exif).toBeUndefined()
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(400)

    await t.app.inject({ method: 'POST', url: `${base()}/${post.id}/withdraw`, headers: beat.login.headers })
    expect((await t.app.inject({ method: 'GET', url: post.photoUrl })).statusCode).toBe(404)
  })
})
