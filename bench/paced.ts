import { Worker } from 'node:worker_threads'

export interface PacedResult {
  sent: number
  completed: number
  /** Requests sent per second, over the sending window. */
  rps: number
  p50: number
  p99: number
  max: number
  errors: number
  non2xx: number
}

/**
 * POSTs `requests` (JSON bodies, in turn) to `url` at a fixed `rate` per second for `seconds`, over at most
 * `connections` keep-alive sockets, from a worker thread (bench/paced-worker.mjs): latency at a given load, where
 * autocannon measures it at saturation (there a closed loop's mean latency is connections / throughput).
 */
export function pacedLoad(options: { url: string; rate: number; connections: number; seconds: number; requests: string[] }): Promise<PacedResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./paced-worker.mjs', import.meta.url), { workerData: options })
    worker.once('message', (result: Omit<PacedResult, 'rps'> & { seconds: number }) => {
      const { seconds, ...rest } = result
      resolve({ ...rest, rps: Math.round(result.sent / seconds) })
      void worker.terminate()
    })
    worker.once('error', reject)
  })
}
