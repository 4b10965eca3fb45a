import sharp, { type OverlayOptions } from 'sharp'
import type { Rectangle } from '@nabij/shared/api/moderation'
import { thumbSize } from '../photos/pipeline.js'

export interface PixelBox {
  left: number
  top: number
  width: number
  height: number
}

/** A rectangle in fractions of the image, as pixels, grown outward to whole pixels and clipped to the image. */
export function toPixels(rect: Rectangle, width: number, height: number): PixelBox | null {
  const left = Math.max(0, Math.floor(rect.x * width))
  const top = Math.max(0, Math.floor(rect.y * height))
  const right = Math.min(width, Math.ceil((rect.x + rect.width) * width))
  const bottom = Math.min(height, Math.ceil((rect.y + rect.height) * height))
  if (right <= left || bottom <= top) return null
  return { left, top, width: right - left, height: bottom - top }
}

/**
 * Makes a region unrecognisable: averaged into at most six blocks along its longer side, then blurred across the
 * block edges. A light Gaussian blur alone can be partly undone (deconvolution); averaged blocks keep nothing finer
 * than a sixth of the region, so a face, a plate or a house number cannot be read back.
 */
async function obscure(image: Buffer, channels: 3 | 4, imageWidth: number, imageHeight: number, box: PixelBox): Promise<Buffer> {
  const block = Math.max(4, Math.ceil(Math.max(box.width, box.height) / 6))
  const small = await sharp(image, { raw: { width: imageWidth, height: imageHeight, channels } })
    .extract(box)
    .resize(Math.max(1, Math.ceil(box.width / block)), Math.max(1, Math.ceil(box.height / block)), { kernel: 'cubic', fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  let blocks = sharp(small.data, { raw: { width: small.info.width, height: small.info.height, channels } })
    .resize(box.width, box.height, { kernel: 'nearest', fit: 'fill' })
  if (box.width >= 3 && box.height >= 3) blocks = sharp(await blocks.raw().toBuffer(), { raw: { width: box.width, height: box.height, channels } }).blur(Math.max(0.3, block / 3))
  return blocks.raw().toBuffer()
}

export interface RawImage {
  data: Buffer
  width: number
  height: number
  channels: 3 | 4
}

/** The decoded photo with every rectangle obscured; pixels outside the rectangles are the original's, unchanged. */
export async function redactPixels(original: Buffer, rectangles: readonly Rectangle[]): Promise<RawImage> {
  const decoded = await sharp(original).raw().toBuffer({ resolveWithObject: true })
  const { width, height } = decoded.info
  const channels = decoded.info.channels as 3 | 4
  const overlays: OverlayOptions[] = []
  for (const rect of rectangles) {
    const box = toPixels(rect, width, height)
    if (!box) continue
    overlays.push({ input: await obscure(decoded.data, channels, width, height, box), raw: { width: box.width, height: box.height, channels }, left: box.left, top: box.top })
  }
  if (overlays.length === 0) return { data: decoded.data, width, height, channels }
  // Compositing adds an alpha channel; drop it again so the result has the original's channels.
  const composed = await sharp(decoded.data, { raw: { width, height, channels } }).composite(overlays)
    .raw().toBuffer({ resolveWithObject: true })
  const data = composed.info.channels === channels ? composed.data
    : await sharp(composed.data, { raw: { width, height, channels: composed.info.channels as 3 | 4 } }).removeAlpha().raw().toBuffer()
  return { data, width, height, channels }
}

export interface RedactedImage {
  full: Buffer
  thumb: Buffer
}

/**
 * The public derivative of a stored photo: every rectangle obscured, everything else as it was, re-encoded as WebP
 * from raw pixels (so no metadata can come along) with a 400 px thumbnail made from the redacted image, never from
 * the original.
 */
export async function redactImage(original: Buffer, rectangles: readonly Rectangle[]): Promise<RedactedImage> {
  const image = await redactPixels(original, rectangles)
  const raw = { raw: { width: image.width, height: image.height, channels: image.channels } }
  const [full, thumb] = await Promise.all([
    sharp(image.data, raw).webp({ quality: 90 }).toBuffer(),
    sharp(image.data, raw).resize(thumbSize, thumbSize, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer(),
  ])
  return { full, thumb }
}
