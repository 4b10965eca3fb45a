import { parentPort } from 'node:worker_threads'
import { PhotoProblem, processPhoto } from './pipeline.js'

/** A pool worker: decodes off the API's event loop (libheif's WASM decoder is synchronous, ≈1 s for 12 MP). */
export interface PhotoJob { id: number; data: Uint8Array }
export type PhotoJobResult =
  | { id: number; ok: true; photo: Awaited<ReturnType<typeof processPhoto>> }
  | { id: number; ok: false; code: PhotoProblem['code']; detail: string }

parentPort?.on('message', async ({ id, data }: PhotoJob) => {
  let result: PhotoJobResult
  try {
    result = { id, ok: true, photo: await processPhoto(data) }
  } catch (err) {
    const code = err instanceof PhotoProblem ? err.code : 'PHOTO_UNREADABLE'
    result = { id, ok: false, code, detail: String((err as Error)?.message ?? err).slice(0, 300) }
  }
  parentPort!.postMessage(result)
})
