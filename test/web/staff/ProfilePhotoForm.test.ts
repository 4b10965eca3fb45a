import { afterEach, describe, expect, it } from 'vitest'
import ProfilePhotoForm from '../../../web/src/staff/components/ProfilePhotoForm.vue'
import { locale, mountStaff } from '../helpers/mount'

const nl = locale('nl')
const fr = locale('fr')
afterEach(() => localStorage.clear())

const withPhoto = { publicFirstName: 'Sara', showOnZonePage: true, photoUrl: '/api/staff/me/photo?v=1a2b3c4d', photoPublic: false, photoShown: false }
const without = { ...withPhoto, photoUrl: null }

function choose(input: HTMLInputElement, file: File) {
  Object.defineProperty(input, 'files', { value: [file], configurable: true })
  input.dispatchEvent(new Event('change'))
}

describe('ProfilePhotoForm', () => {
  it('asks for a file before uploading, then hands the chosen one over', async () => {
    const { wrapper, missing } = await mountStaff(ProfilePhotoForm, 'nl', { props: { profile: without } })
    expect(wrapper.text()).toContain(nl.ui.staff.account.photo_none)
    expect(wrapper.text()).toContain(nl.ui.staff.account.photo_listed.replace('{{name}}', 'Sara'))
    expect(wrapper.find('input[type="checkbox"]').exists()).toBe(false)

    await wrapper.find('form').trigger('submit')
    expect(wrapper.find('[role="alert"]').text()).toBe(nl.ui.staff.account.photo_required)
    expect(wrapper.find('#profile-photo-file').attributes('aria-invalid')).toBe('true')
    expect(wrapper.emitted('upload')).toBeUndefined()

    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], 'me.jpg', { type: 'image/jpeg' })
    choose(wrapper.find('#profile-photo-file').element as HTMLInputElement, photo)
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('upload')).toEqual([[photo]])
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(wrapper.find('button[type="submit"]').text()).toBe(nl.ui.staff.account.photo_upload)
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('shows the current photo with its alt text, and offers to replace it, remove it and show it', async () => {
    const { wrapper, missing } = await mountStaff(ProfilePhotoForm, 'fr', { props: { profile: withPhoto } })
    const img = wrapper.find('img')
    expect(img.attributes('src')).toBe(withPhoto.photoUrl)
    expect(img.attributes('alt')).toBe(fr.ui.staff.account.photo_current_alt)
    expect(wrapper.find('button[type="submit"]').text()).toBe(fr.ui.staff.account.photo_replace)
    expect(wrapper.find('.profile-photo__state').text()).toBe(fr.ui.staff.account.photo_hidden)

    const checkbox = wrapper.find('input[type="checkbox"]')
    expect(wrapper.find('label.profile-photo__choice').text()).toBe(fr.ui.staff.account.photo_public_label)
    await checkbox.setValue(true)
    expect(wrapper.emitted('show')).toEqual([[true]])
    await wrapper.findAll('button').find((b) => b.text() === fr.ui.staff.account.photo_remove)!.trigger('click')
    expect(wrapper.emitted('remove')).toHaveLength(1)

    await wrapper.setProps({ profile: { ...withPhoto, photoPublic: true, photoShown: true }, notice: fr.ui.staff.account.photo_saved })
    expect(wrapper.find('.profile-photo__state').text()).toBe(fr.ui.staff.account.photo_shown)
    expect(wrapper.find('[role="status"]').text()).toBe(fr.ui.staff.account.photo_saved)
    expect(missing).toEqual([])
    wrapper.unmount()
  })

  it('says when an admin has not listed the officer, so nothing of them is shown', async () => {
    const { wrapper } = await mountStaff(ProfilePhotoForm, 'nl', { props: { profile: { ...withPhoto, showOnZonePage: false, photoPublic: true }, error: 'Kapot' } })
    expect(wrapper.text()).toContain(nl.ui.staff.account.photo_not_listed)
    expect(wrapper.find('.profile-photo__state').text()).toBe(nl.ui.staff.account.photo_hidden)
    expect(wrapper.find('[role="alert"]').text()).toBe('Kapot')
    wrapper.unmount()
  })
})
