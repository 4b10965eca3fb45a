import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { auditLog, photos, staffUsers } from '../../../server/src/db/schema.js'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { sweepOrphanPhotos } from '../../../server/src/modules/photos/sweep.js'
import { startApp, type TestApp } from '../helpers/app.js'
import { aStaff, aZone, loginAs, type StaffLogin, type TestStaff } from '../helpers/factories.js'
import { filesUnder, fixture, metadataMarkersIn, multipart, webpChunks } from '../photos/fixtures.js'

let t: TestApp
let zoneId: number
let admin: StaffLogin
beforeAll(async () => {
  t = await startApp()
  zoneId = (await aZone(t.db)).id
  admin = await loginAs(t.app, await aStaff(t.db, { role: 'admin' }))
})
afterAll(() => t.close())

/** An officer of the zone whom an admin lists on the zone page by first name. */
async function aListedOfficer(firstName: string): Promise<{ staff: TestStaff; login: StaffLogin }> {
  const staff = await aStaff(t.db, { role: 'officer', zoneId })
  await t.db.update(staffUsers).set({ publicFirstName: firstName, showOnZonePage: true }).where(eq(staffUsers.id, staff.id))
  return { staff, login: await loginAs(t.app, staff) }
}

function upload(login: StaffLogin, data: Buffer, filename = 'me.jpg', lang = 'en') {
  const form = multipart({}, [{ field: 'photo', filename, type: 'image/jpeg', data }])
  return t.app.inject({ method: 'PUT', url: `/api/staff/me/photo?lang=${lang}`, payload: form.payload, headers: { ...form.headers, ...login.headers } })
}
const profile = (login: StaffLogin) => t.app.inject({ method: 'GET', url: '/api/staff/me/profile', headers: { cookie: login.cookie } })
const choose = (login: StaffLogin, photoPublic: boolean) =>
  t.app.inject({ method: 'PATCH', url: '/api/staff/me/profile', headers: login.headers, payload: { photoPublic } })
const publicPhoto = (staffId: number) => t.app.inject({ method: 'GET', url: `/api/public/officers/${staffId}/photo` })
async function zonePageOfficer(firstName: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/zones/${zoneId}` })
  expect(res.statusCode).toBe(200)
  return (res.json() as { officers: { firstName: string; photoUrl: string | null }[] }).officers.find((o) => o.firstName === firstName)
}
async function storedRow(staffId: number) {
  const [row] = await t.db.select({ photo: photos }).from(staffUsers).innerJoin(photos, eq(photos.id, staffUsers.photoId)).where(eq(staffUsers.id, staffId))
  return row?.photo
}

describe('a staff member\'s own photo', () => {
  it('is stored from a JPEG with GPS EXIF as a 400 px WebP without any metadata', async () => {
    const original = fixture('gps_DSCN0010.jpg')
    expect((await sharp(original).metadata()).exif).toBeDefined()
    const { staff, login } = await aListedOfficer('Amina')

    const res = await upload(login, original)

    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ publicFirstName: 'Amina', showOnZonePage: true, photoPublic: false, photoShown: false, photoUrl: expect.stringMatching(/^\/api\/staff\/me\/photo\?v=/) })
    const row = (await storedRow(staff.id))!
    const file = (await photoStorage(t.config).get(row.thumbKey))!
    expect(row.storageKey).toBe(row.thumbKey)
    expect(metadataMarkersIn(file)).toEqual([])
    expect(webpChunks(file).filter((c) => !['VP8 ', 'VP8L', 'VP8X', 'ALPH'].includes(c))).toEqual([])
    const meta = await sharp(file).metadata()
    expect([meta.format, meta.exif, meta.icc, meta.xmp]).toEqual(['webp', undefined, undefined, undefined])
    expect(Math.max(meta.width!, meta.height!)).toBe(400)

    const own = await t.app.inject({ method: 'GET', url: res.json().photoUrl, headers: { cookie: login.cookie } })
    expect(own.statusCode).toBe(200)
    expect(own.headers['content-type']).toBe('image/webp')
    expect(own.rawPayload.equals(file)).toBe(true)

    // A photos row names the file, so the orphan sweep keeps it.
    await sweepOrphanPhotos(t.db, photoStorage(t.config), { graceMs: 0 })
    expect(await photoStorage(t.config).get(row.thumbKey)).not.toBeNull()
  })

  it('is not shown to residents until its owner chooses so, and no longer once they hide it', async () => {
    const { staff, login } = await aListedOfficer('Bram')
    expect((await upload(login, fixture('gps_DSCN0021.jpg'))).statusCode).toBe(200)

    expect(await zonePageOfficer('Bram')).toEqual({ firstName: 'Bram', primary: true, photoUrl: null })
    expect((await publicPhoto(staff.id)).statusCode).toBe(404)

    const shown = await choose(login, true)
    expect(shown.json()).toMatchObject({ photoPublic: true, photoShown: true })
    const { photoUrl } = (await zonePageOfficer('Bram'))!
    expect(photoUrl).toMatch(new RegExp(`^/api/public/officers/${staff.id}/photo\\?v=[0-9a-f]{8}$`))
    const served = await t.app.inject({ method: 'GET', url: photoUrl! })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/webp')
    expect(served.headers['cache-control']).toBe('public, max-age=300')
    expect(served.rawPayload.equals((await photoStorage(t.config).get((await storedRow(staff.id))!.thumbKey))!)).toBe(true)

    expect((await choose(login, false)).json()).toMatchObject({ photoPublic: false, photoShown: false })
    expect((await zonePageOfficer('Bram'))!.photoUrl).toBeNull()
    expect((await publicPhoto(staff.id)).statusCode).toBe(404)
  })

  it('stays hidden while an admin does not list the officer, or once the account is disabled, whatever the officer chose', async () => {
    const { staff, login } = await aListedOfficer('Chloé')
    await upload(login, fixture('orientation_portrait_8.jpg'))
    await choose(login, true)
    expect((await publicPhoto(staff.id)).statusCode).toBe(200)

    await t.app.inject({ method: 'PATCH', url: `/api/staff/users/${staff.id}`, headers: admin.headers, payload: { showOnZonePage: false } })
    expect((await publicPhoto(staff.id)).statusCode).toBe(404)
    expect((await profile(login)).json()).toMatchObject({ photoPublic: true, photoShown: false })

    await t.app.inject({ method: 'PATCH', url: `/api/staff/users/${staff.id}`, headers: admin.headers, payload: { showOnZonePage: true, disabled: true } })
    expect((await publicPhoto(staff.id)).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: '/api/public/officers/999999/photo' })).statusCode).toBe(404)
  })

  it('is replaced by a new upload (new address, old file gone) and removed with the choice to show it', async () => {
    const { staff, login } = await aListedOfficer('Dries')
    const first = (await upload(login, fixture('gps_DSCN0010.jpg'))).json()
    const firstRow = (await storedRow(staff.id))!
    await choose(login, true)

    const second = await upload(login, fixture('orientation_landscape_6.jpg'))
    expect(second.statusCode).toBe(200)
    expect(second.json().photoUrl).not.toBe(first.photoUrl)
    expect(second.json()).toMatchObject({ photoPublic: true, photoShown: true })
    expect(await photoStorage(t.config).get(firstRow.thumbKey)).toBeNull()
    expect(await t.db.select().from(photos).where(eq(photos.id, firstRow.id))).toEqual([])
    const secondRow = (await storedRow(staff.id))!

    const removed = await t.app.inject({ method: 'DELETE', url: '/api/staff/me/photo', headers: login.headers })
    expect(removed.statusCode).toBe(200)
    expect(removed.json()).toMatchObject({ photoUrl: null, photoPublic: false, photoShown: false })
    expect(await photoStorage(t.config).get(secondRow.thumbKey)).toBeNull()
    expect(await t.db.select().from(photos).where(eq(photos.id, secondRow.id))).toEqual([])
    expect((await publicPhoto(staff.id)).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: '/api/staff/me/photo', headers: { cookie: login.cookie } })).statusCode).toBe(404)

    const actions = (await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.staffId, staff.id))).map((a) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['staff.photo_added', 'staff.photo_replaced', 'staff.photo_visibility', 'staff.photo_removed']))
  })

  it('can be changed by its owner only: another officer and an admin act on their own account or not at all', async () => {
    const owner = await aListedOfficer('Eline')
    await upload(owner.login, fixture('gps_DSCN0010.jpg'))
    const ownerRow = (await storedRow(owner.staff.id))!
    const other = await aListedOfficer('Farid')

    // Every self-service route acts on the session's own account: the colleague changes theirs.
    expect((await choose(other.login, true)).statusCode).toBe(200)
    expect((await upload(other.login, fixture('gps_DSCN0021.jpg'))).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'DELETE', url: '/api/staff/me/photo', headers: other.login.headers })).statusCode).toBe(200)
    // The admin's account edit takes no photo fields.
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/staff/users/${owner.staff.id}`, headers: admin.headers, payload: { photoPublic: true, photoId: null } })
    expect(edit.statusCode).toBe(200)

    const [row] = await t.db.select({ photoId: staffUsers.photoId, photoPublic: staffUsers.photoPublic }).from(staffUsers).where(eq(staffUsers.id, owner.staff.id))
    expect(row).toEqual({ photoId: ownerRow.id, photoPublic: false })
    expect(await photoStorage(t.config).get(ownerRow.thumbKey)).not.toBeNull()

    // Without a session, or without the CSRF token, nothing changes.
    const form = multipart({}, [{ field: 'photo', filename: 'x.jpg', type: 'image/jpeg', data: fixture('gps_DSCN0021.jpg') }])
    expect((await t.app.inject({ method: 'PUT', url: '/api/staff/me/photo', payload: form.payload, headers: form.headers })).json().code).toBe('UNAUTHENTICATED')
    expect((await t.app.inject({ method: 'PATCH', url: '/api/staff/me/profile', headers: { cookie: owner.login.cookie }, payload: { photoPublic: true } })).json().code).toBe('CSRF_INVALID')
    expect((await t.app.inject({ method: 'DELETE', url: '/api/staff/me/photo', headers: { cookie: owner.login.cookie } })).statusCode).toBe(403)
    expect((await storedRow(owner.staff.id))?.id).toBe(ownerRow.id)
  })

  it('refuses a file that is not a photo we take with 422 and a stable code in the asked language, keeping the photo it had', async () => {
    const { staff, login } = await aListedOfficer('Gaëlle')
    await upload(login, fixture('gps_DSCN0010.jpg'))
    const before = (await storedRow(staff.id))!
    const files = filesUnder(t.config.photoDir).length

    const corrupt = await upload(login, fixture('corrupted.jpg'), 'broken.jpg', 'fr')
    expect(corrupt.statusCode).toBe(422)
    expect(corrupt.json()).toEqual({ code: 'PHOTO_UNREADABLE', message: fr.errors.PHOTO_UNREADABLE })

    const gif = await sharp(fixture('gps_DSCN0010.jpg')).resize(40).gif().toBuffer()
    const wrongType = await upload(login, gif, 'me.gif', 'fr')
    expect(wrongType.statusCode).toBe(422)
    expect(wrongType.json()).toEqual({ code: 'PHOTO_TYPE_UNSUPPORTED', message: fr.errors.PHOTO_TYPE_UNSUPPORTED })

    const text = await upload(login, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'me.svg')
    expect([text.statusCode, text.json().code]).toEqual([422, 'PHOTO_TYPE_UNSUPPORTED'])

    const none = await t.app.inject({ method: 'PUT', url: '/api/staff/me/photo', headers: login.headers, payload: {} })
    expect([none.statusCode, none.json().code]).toEqual([400, 'VALIDATION_FAILED'])

    expect((await storedRow(staff.id))?.id).toBe(before.id)
    expect(filesUnder(t.config.photoDir).length).toBe(files)
  })
})
