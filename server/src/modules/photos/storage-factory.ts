import type { Config } from '../../config.js'
import { S3PhotoStorage } from './s3-storage.js'
import { LocalPhotoStorage, type PhotoStorage } from './storage.js'

const stores = new WeakMap<Config, PhotoStorage>()

/**
 * The photo storage of a configuration: an S3-compatible bucket when S3_BUCKET is set, else PHOTO_DIR on disk. Every
 * module asks here, so all of one app share one store (and one S3 connection pool).
 */
export function photoStorage(config: Config): PhotoStorage {
  let storage = stores.get(config)
  if (!storage) {
    storage = config.s3 ? new S3PhotoStorage(config.s3) : new LocalPhotoStorage(config.photoDir)
    stores.set(config, storage)
  }
  return storage
}
