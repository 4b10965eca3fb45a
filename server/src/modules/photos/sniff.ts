/** The image types we accept, told by their first bytes: the file name and the sent Content-Type are not trusted. */
export type ImageType = 'jpeg' | 'png' | 'webp' | 'heif'

// HEIF brands whose images are HEVC-coded (iPhones write `heic`, some cameras `mif1` with `heic` compatible).
const heifBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'])

const ascii = (buf: Uint8Array, start: number, end: number) => String.fromCharCode(...buf.subarray(start, end))

export function sniffImageType(buf: Uint8Array): ImageType | null {
  if (buf.length < 12) return null
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg'
  if (buf[0] === 0x89 && ascii(buf, 1, 8) === 'PNG\r\n\x1a\n') return 'png'
  if (ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp'
  if (ascii(buf, 4, 8) === 'ftyp') return isHevcHeif(buf) ? 'heif' : null
  return null
}

/** An ISO-BMFF `ftyp` box: major brand, minor version, then compatible brands. AVIF and video files are refused. */
function isHevcHeif(buf: Uint8Array): boolean {
  const boxSize = Math.min(((buf[0]! << 24) | (buf[1]! << 16) | (buf[2]! << 8) | buf[3]!) >>> 0, buf.length, 4096)
  const brands = [ascii(buf, 8, 12)]
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(buf, at, at + 4))
  if (brands.some((b) => b === 'avif' || b === 'avis')) return brands.some((b) => b === 'heic' || b === 'heix')
  return brands.some((b) => heifBrands.has(b))
}
