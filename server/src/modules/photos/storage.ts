import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'

/**
 * Where processed photos live. Keys are relative paths such as `3f/3f2c…-full.webp`; an S3-compatible store can
 * implement the same three calls.
 */
export interface PhotoStorage {
  put(key: string, data: Uint8Array): Promise<void>
  /** null when the key does not exist */
  get(key: string): Promise<Buffer | null>
  /** Removing a key that does not exist is not an error. */
  delete(key: string): Promise<void>
}

const keyPattern = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/i

/** Files under one directory (config.photoDir). Writes go to a temporary name first, so a reader never sees half a file. */
export class LocalPhotoStorage implements PhotoStorage {
  private readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const path = this.pathOf(key)
    await mkdir(dirname(path), { recursive: true })
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(temporary, data, { mode: 0o640 })
      await rename(temporary, path)
    } catch (err) {
      await rm(temporary, { force: true })
      throw err
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true })
  }

  private pathOf(key: string): string {
    if (!keyPattern.test(key) || key.split('/').some((part) => part === '..' || part === '.')) throw new Error(`invalid photo key ${JSON.stringify(key)}`)
    const path = join(this.root, key)
    if (!path.startsWith(this.root + sep)) throw new Error('photo key escapes the photo directory')
    return path
  }
}
