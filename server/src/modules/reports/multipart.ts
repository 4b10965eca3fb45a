import type { FastifyRequest } from 'fastify'
import { maxPhotoBytes, maxPhotosPerSubmission } from '@nabij/shared/api/reports'
import { PhotoTooLarge, ValidationFailed } from '../../errors.js'

export const multipartLimits = {
  fileSize: maxPhotoBytes,
  files: maxPhotosPerSubmission,
  fields: 10,
  fieldSize: 64 * 1024,
  parts: maxPhotosPerSubmission + 10,
  headerPairs: 200,
}

export interface Submission {
  json: unknown
  /** The uploaded files, in memory only: originals never touch the disk. */
  uploads: Buffer[]
}

/**
 * Reads a multipart submission: one JSON field plus files. A file over the size limit is refused here, whether
 * @fastify/multipart threw (throwFileSizeLimit) or only marked it truncated.
 */
export async function readSubmission(req: FastifyRequest, jsonField: string, options: { jsonRequired: boolean }): Promise<Submission> {
  let json: unknown
  let sawJson = false
  const uploads: Buffer[] = []
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer()
        if (part.file.truncated) throw new PhotoTooLarge(uploads.length + 1)
        // A form whose file input was left empty still sends a part without a name or content.
        if (data.length === 0 && !part.filename) continue
        uploads.push(data)
      } else if (part.fieldname === jsonField) {
        try {
          json = JSON.parse(String(part.value))
          sawJson = true
        } catch {
          throw new ValidationFailed(`${jsonField} is not JSON`)
        }
      }
    }
  } catch (err) {
    // busboy's own parse errors (no boundary, a malformed part header, a form cut short) carry no status: a broken
    // form is bad input, not a server fault.
    if ((err as { statusCode?: number }).statusCode === undefined && /multipart|boundary|part header|unexpected end/i.test(String((err as Error).message))) {
      throw new ValidationFailed('malformed multipart/form-data')
    }
    throw err
  }
  if (!sawJson && options.jsonRequired) throw new ValidationFailed(`${jsonField} is missing`)
  return { json, uploads }
}
