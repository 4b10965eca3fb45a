import { flushPromises } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import PhotoPicker from '../../web/src/components/PhotoPicker.vue'
import { isHeic, prepareForUpload, type PickedPhoto } from '../../web/src/composables/photos'
import { locale, mountIn } from './helpers/mount'

const en = locale('en')

const jpeg = (name: string) => new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], name, { type: 'image/jpeg' })
const heic = new File([new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63])], 'IMG_0001.HEIC', { type: '' })

/** The picker inside a parent that holds the list, as the report form does. */
const Host = defineComponent({
  setup(_, { expose }) {
    const photos = ref<PickedPhoto[]>([])
    expose({ photos })
    return () => h(PhotoPicker, { modelValue: photos.value, 'onUpdate:modelValue': (value: PickedPhoto[]) => { photos.value = value } })
  },
})

async function choose(input: HTMLInputElement, files: File[]) {
  Object.defineProperty(input, 'files', { value: files, configurable: true })
  input.dispatchEvent(new Event('change'))
  await flushPromises()
}

describe('PhotoPicker', () => {
  it('keeps at most five photos and says why the rest were left out', async () => {
    const { wrapper } = await mountIn(Host, 'en')
    await choose(wrapper.find('input[type="file"]').element as HTMLInputElement, ['1', '2', '3', '4', '5', '6'].map((n) => jpeg(`${n}.jpg`)))
    expect(wrapper.findAll('.photo-picker__item')).toHaveLength(5)
    expect(wrapper.find('[role="alert"]').text()).toBe(en.errors.TOO_MANY_PHOTOS)
    expect(wrapper.find('input[type="file"]').attributes('disabled')).toBeDefined()
  })

  it('removes a photo with a button that names which one', async () => {
    const { wrapper } = await mountIn(Host, 'en')
    await choose(wrapper.find('input[type="file"]').element as HTMLInputElement, [jpeg('a.jpg'), jpeg('b.jpg')])
    const remove = wrapper.findAll('.photo-picker__item button')
    expect(remove.map((b) => b.text())).toEqual(['Remove photo 1', 'Remove photo 2'])
    await remove[0]!.trigger('click')
    expect(wrapper.findAll('.photo-picker__name').map((n) => n.text())).toEqual(['b.jpg'])
  })

  it('accepts HEIC and sends it as it is, without a preview the browser could not draw', async () => {
    expect(isHeic(heic)).toBe(true)
    expect(await prepareForUpload(heic)).toBe(heic)
    const { wrapper } = await mountIn(Host, 'en')
    expect(wrapper.find('input[type="file"]').attributes('accept')).toContain('.heic')
    await choose(wrapper.find('input[type="file"]').element as HTMLInputElement, [heic])
    expect(wrapper.find('.photo-picker__placeholder').text()).toBe(en.ui.photos.no_preview)
  })
})
