import decodeHeic from 'heic-decode'
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp'
import { sniffImageType, type ImageType } from './sniff.js'

/** Enough for a 108 MP phone camera; a pixel flood beyond it is refused from its header, before any decoding. */
export const maxInputPixels = 120_000_000
export const fullSize = 2048
export const thumbSize = 400

export type PhotoProblemCode = 'PHOTO_UNREADABLE' | 'PHOTO_TYPE_UNSUPPORTED' | 'PHOTO_TOO_MANY_PIXELS'

export class PhotoProblem extends Error {
  constructor(readonly code: PhotoProblemCode, detail: string = code) {
    super(detail)
  }
}

export interface ProcessedPhoto {
  type: ImageType
  full: Uint8Array
  width: number
  height: number
  thumb: Uint8Array
  thumbWidth: number
  thumbHeight: number
}

/**
 * Turns an upload into what we keep: upright, at most 2048 px plus a 400 px thumbnail, re-encoded as WebP from raw
 * pixels so that no metadata survives (EXIF, GPS, XMP, IPTC, ICC, comments, embedded thumbnails). The whole image is
 * decoded before anything is accepted: a truncated file can have a valid header.
 */
export async function processPhoto(input: Uint8Array): Promise<ProcessedPhoto> {
  const type = sniffImageType(input)
  if (!type) throw new PhotoProblem('PHOTO_TYPE_UNSUPPORTED')
  const upright = type === 'heif' ? await openHeif(input) : await openRaster(input)
  let pixels: { data: Buffer; info: OutputInfo }
  try {
    pixels = await upright
      .resize(fullSize, fullSize, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
  } catch (err) {
    throw new PhotoProblem('PHOTO_UNREADABLE', (err as Error).message)
  }
  const { width, height, channels } = pixels.info
  const raw = { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } }
  const [full, thumb] = await Promise.all([
    sharp(pixels.data, raw).webp({ quality: 82 }).toBuffer({ resolveWithObject: true }),
    sharp(pixels.data, raw).resize(thumbSize, thumbSize, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer({ resolveWithObject: true }),
  ])
  return { type, full: full.data, width, height, thumb: thumb.data, thumbWidth: thumb.info.width, thumbHeight: thumb.info.height }
}

async function openRaster(input: Uint8Array): Promise<Sharp> {
  let meta: Metadata
  try {
    // Header only: the pixel count is checked by us, so a flood costs no allocation.
    meta = await sharp(input, { limitInputPixels: false }).metadata()
  } catch (err) {
    throw new PhotoProblem('PHOTO_UNREADABLE', (err as Error).message)
  }
  if (!meta.width || !meta.height) throw new PhotoProblem('PHOTO_UNREADABLE')
  if (meta.width * meta.height > maxInputPixels) throw new PhotoProblem('PHOTO_TOO_MANY_PIXELS')
  return sharp(input, { limitInputPixels: maxInputPixels, failOn: 'error' }).autoOrient()
}

/** libvips here has no HEVC decoder, so HEIC goes through libheif (WASM). Its output is already upright. */
async function openHeif(input: Uint8Array): Promise<Sharp> {
  let images: Awaited<ReturnType<typeof decodeHeic.all>>
  try {
    images = await decodeHeic.all({ buffer: input })
  } catch (err) {
    throw new PhotoProblem('PHOTO_UNREADABLE', (err as Error).message)
  }
  try {
    const primary = images[0]
    if (!primary || !primary.width || !primary.height) throw new PhotoProblem('PHOTO_UNREADABLE')
    if (primary.width * primary.height > maxInputPixels) throw new PhotoProblem('PHOTO_TOO_MANY_PIXELS')
    const decoded = await primary.decode().catch((err: Error) => { throw new PhotoProblem('PHOTO_UNREADABLE', err.message) })
    const data = Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength)
    return sharp(data, { raw: { width: decoded.width, height: decoded.height, channels: 4 }, limitInputPixels: maxInputPixels }).removeAlpha()
  } finally {
    images.dispose()
  }
}
