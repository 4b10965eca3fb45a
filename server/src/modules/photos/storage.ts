import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'

/**
 * Where processed photos live. Keys are relative paths such as `3f/3f2c…-full.webp`. Two implementations: this
 * file (local disk) and s3-storage.ts; storage-factory.ts picks one from the configuration.
 */
export interface PhotoStorage {
  put(key: string, data: Uint8Array): Promise<void>
  /** null when the key does not exist */
  get(key: string): Promise<Buffer | null>
  /** Removing a key that does not exist is not an error. */
  delete(key: string): Promise<void>
  /** Every stored key with its last write time, for the orphan sweep (photos/sweep.ts). */
  list(): AsyncIterable<{ key: string; modifiedAt: Date }>
}

const keyPattern = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/i

/** Throws on a key that is not a plain relative path of the shape we write. */
export function checkPhotoKey(key: string): void {
  if (!keyPattern.test(key) || key.split('/').some((part) => part === '..' || part === '.')) throw new Error(`invalid photo key ${JSON.stringify(key)}`)
}

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

  async *list(): AsyncIterable<{ key: string; modifiedAt: Date }> {
    const folders = await readdir(this.root, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return []
      throw err
    })
    for (const folder of folders) {
      if (!folder.isDirectory()) continue
      for (const file of await readdir(join(this.root, folder.name), { withFileTypes: true })) {
        if (!file.isFile()) continue
        const key = `${folder.name}/${file.name}`
        const info = await stat(join(this.root, key)).catch(() => null)
        if (info) yield { key, modifiedAt: info.mtime }
      }
    }
  }

  private pathOf(key: string): string {
    checkPhotoKey(key)
    const path = join(this.root, key)
    if (!path.startsWith(this.root + sep)) throw new Error('photo key escapes the photo directory')
    return path
  }
}
