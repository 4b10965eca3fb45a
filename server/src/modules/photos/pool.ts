import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { PhotoProblem, type ProcessedPhoto } from './pipeline.js'
import type { PhotoJobResult } from './worker.js'

export interface PhotoPoolOptions {
  /** Worker threads; default one per core but one, so the API keeps a core. */
  size?: number
  /** Jobs each worker runs at once: sharp's work happens on libuv's thread pool, so two overlap well. */
  perWorker?: number
  /** Jobs waiting beyond the running ones; more are refused with 503 instead of piling up memory. */
  maxQueue?: number
}

export class PhotoPoolBusy extends Error {
  constructor() {
    super('photo pool queue is full')
  }
}

interface Job { id: number; data: Uint8Array; resolve(photo: ProcessedPhoto): void; reject(err: Error): void }
interface Slot { worker: Worker; running: Map<number, Job> }

const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url)

/**
 * Running from TypeScript sources (tsx, vitest), the worker first registers tsx's loader and then imports the .ts
 * entry; Node 20 does not pass `--import` hooks on to worker threads.
 */
function startWorker(): Worker {
  if (!workerUrl.pathname.endsWith('.ts')) return new Worker(workerUrl)
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json').replace(/package\.json$/, 'dist/esm/api/index.mjs')).href
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}) })`
  return new Worker(bootstrap, { eval: true })
}

/** A bounded pool of worker threads for photo decoding, so a burst of uploads cannot stall the API. */
export class PhotoPool {
  readonly size: number
  readonly perWorker: number
  readonly maxQueue: number
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private nextId = 1
  private closed = false

  constructor(options: PhotoPoolOptions = {}) {
    this.size = options.size ?? Math.max(1, availableParallelism() - 1)
    this.perWorker = options.perWorker ?? 2
    this.maxQueue = options.maxQueue ?? 40
  }

  process(data: Uint8Array): Promise<ProcessedPhoto> {
    if (this.closed) return Promise.reject(new Error('photo pool closed'))
    if (this.queue.length >= this.maxQueue) return Promise.reject(new PhotoPoolBusy())
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, data, resolve, reject })
      this.dispatch()
    })
  }

  get pending(): number {
    return this.queue.length + this.slots.reduce((n, s) => n + s.running.size, 0)
  }

  async close(): Promise<void> {
    this.closed = true
    for (const job of this.queue.splice(0)) job.reject(new Error('photo pool closed'))
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()))
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.freeSlot()
      if (!slot) return
      const job = this.queue.shift()!
      slot.running.set(job.id, job)
      // A busy worker keeps the process alive; an idle one must not.
      slot.worker.ref()
      slot.worker.postMessage({ id: job.id, data: job.data })
    }
  }

  private freeSlot(): Slot | undefined {
    let best: Slot | undefined
    for (const slot of this.slots) if (slot.running.size < this.perWorker && (!best || slot.running.size < best.running.size)) best = slot
    if (best && best.running.size === 0) return best
    if (this.slots.length < this.size) return this.spawn()
    return best
  }

  private spawn(): Slot {
    const worker = startWorker()
    const slot: Slot = { worker, running: new Map() }
    worker.on('message', (result: PhotoJobResult) => {
      const job = slot.running.get(result.id)
      if (!job) return
      slot.running.delete(result.id)
      if (slot.running.size === 0) worker.unref()
      if (result.ok) job.resolve(result.photo)
      else job.reject(new PhotoProblem(result.code, result.detail))
      this.dispatch()
    })
    // A decoder that crashes its thread takes only its own jobs down: they count as unreadable files.
    const fail = (err: Error) => {
      const index = this.slots.indexOf(slot)
      if (index >= 0) this.slots.splice(index, 1)
      for (const job of slot.running.values()) job.reject(new PhotoProblem('PHOTO_UNREADABLE', err.message))
      slot.running.clear()
      if (!this.closed) this.dispatch()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`photo worker exited with ${code}`)))
    worker.unref()
    this.slots.push(slot)
    return slot
  }
}

let shared: PhotoPool | undefined

/** One pool per process: every module that takes photos shares it, so uploads cannot oversubscribe the cores. */
export function photoPool(): PhotoPool {
  shared ??= new PhotoPool()
  return shared
}
