/**
 * Client-side preparation of photos before upload: large JPEG/PNG/WebP photos are downscaled in the browser to save
 * the resident's mobile data. HEIC/HEIF goes as is: most browsers cannot decode it, the server can. The server strips
 * all metadata (GPS included) either way; re-encoding here already drops it for the photos we touch.
 */
/** `maxPhotosPerSubmission` of shared/src/api/reports.ts, kept equal by a test. */
export const maxPhotos = 5
export const maxEdge = 2048
/** Below this size a photo is sent untouched: re-encoding would cost quality for little saving. */
export const keepBelowBytes = 1_500_000
export const acceptedPhotoTypes = 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif'

export function isHeic(file: File): boolean {
  return /^image\/hei[cf]/i.test(file.type) || /\.hei[cf]$/i.test(file.name)
}

/** Whether the browser can show a preview (it cannot for HEIC in most browsers). */
export function canPreview(file: File): boolean {
  return !isHeic(file) && /^image\/(jpeg|png|webp|gif)$/i.test(file.type)
}

export async function prepareForUpload(file: File): Promise<File> {
  if (isHeic(file) || !/^image\/(jpeg|png|webp)$/i.test(file.type)) return file
  if (typeof createImageBitmap !== 'function') return file
  let bitmap: ImageBitmap
  try {
    // 'from-image' applies the EXIF orientation, so the downscaled photo stands the right way up.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    return file // the server tells the resident what is wrong with it, in their language
  }
  try {
    const longest = Math.max(bitmap.width, bitmap.height)
    if (longest <= maxEdge && file.size <= keepBelowBytes) return file
    const scale = Math.min(1, maxEdge / longest)
    const width = Math.round(bitmap.width * scale)
    const height = Math.round(bitmap.height * scale)
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = height
    const context = canvas.getContext('2d')
    if (!context) return file
    context.drawImage(bitmap, 0, 0, width, height)
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85))
    if (!blob || blob.size >= file.size) return file
    return new File([blob], file.name.replace(/\.[^.]+$/, '') + '.jpg', { type: 'image/jpeg', lastModified: file.lastModified })
  } finally {
    bitmap.close()
  }
}

export interface PickedPhoto {
  id: string
  /** What will be uploaded (possibly downscaled). */
  file: File
  originalBytes: number
  /** blob: URL for the preview, or null when the browser cannot show the format. */
  previewUrl: string | null
}

let counter = 0

export async function pickPhoto(original: File): Promise<PickedPhoto> {
  const file = await prepareForUpload(original)
  return {
    id: `photo-${++counter}`,
    file,
    originalBytes: original.size,
    previewUrl: canPreview(file) && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null,
  }
}

export function releasePhoto(photo: PickedPhoto): void {
  if (photo.previewUrl) URL.revokeObjectURL(photo.previewUrl)
}
