import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDeflate } from 'node:zlib'

const photoFixtures = new URL('../../../../shared/fixtures/photos/', import.meta.url)

export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, photoFixtures))
}

export interface FilePart { field?: string; filename: string; type: string; data: Buffer }

/** A multipart/form-data body as a browser sends it, for app.inject. */
export function multipart(fields: Record<string, string>, files: FilePart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----nabij${randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  }
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'photos'}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`))
    chunks.push(file.data, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** Every file under a directory, recursively (photo storage is checked by counting them). */
export function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
  } catch {
    return []
  }
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff
  for (const byte of data) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * A decompression bomb: a valid greyscale PNG of width × height black pixels that compresses to a few hundred KB.
 * Written row by row, so making it never holds the pixels in memory either.
 */
export async function pixelFloodPng(width: number, height: number): Promise<Buffer> {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 0 // greyscale
  const deflate = createDeflate({ level: 9 })
  const compressed: Buffer[] = []
  deflate.on('data', (chunk: Buffer) => compressed.push(chunk))
  const ended = new Promise((resolve) => deflate.on('end', resolve))
  const row = Buffer.alloc(width + 1) // filter byte 0, then black
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await ended
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', Buffer.concat(compressed)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/** Byte patterns that betray metadata in an image file. */
const longMarkers = ['Exif', '<x:xmpmeta', 'http://ns.adobe.com', 'ICC_PROFILE', 'Photoshop', 'iptc']
/**
 * Three-letter patterns also turn up by chance inside compressed pixel data (a 40 KB WebP has 'XMP' somewhere about
 * once in 400 files), so they are looked for outside a WebP's VP8/VP8L bitstream, where metadata chunks would be.
 */
const shortMarkers = ['GPS', 'XMP']

export function metadataMarkersIn(data: Buffer): string[] {
  const text = data.toString('latin1')
  let outsideBitstream = text
  if (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') {
    outsideBitstream = text.slice(0, 12)
    for (let at = 12; at + 8 <= data.length;) {
      const fourcc = text.slice(at, at + 4)
      const size = data.readUInt32LE(at + 4)
      outsideBitstream += fourcc === 'VP8 ' || fourcc === 'VP8L' ? fourcc : text.slice(at, at + 8 + size)
      at += 8 + size + (size % 2)
    }
  }
  return [...longMarkers.filter((m) => text.includes(m)), ...shortMarkers.filter((m) => outsideBitstream.includes(m))]
}

/** The chunk names of a WebP (RIFF) file: a stripped file has only VP8/VP8L image data (and ALPH/VP8X for alpha). */
export function webpChunks(data: Buffer): string[] {
  if (data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WEBP') throw new Error('not a WebP file')
  const chunks: string[] = []
  for (let at = 12; at + 8 <= data.length;) {
    const size = data.readUInt32LE(at + 4)
    chunks.push(data.toString('latin1', at, at + 4))
    at += 8 + size + (size % 2)
  }
  return chunks
}
