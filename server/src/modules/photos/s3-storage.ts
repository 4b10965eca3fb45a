import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException, paginateListObjectsV2 } from '@aws-sdk/client-s3'
import type { S3Settings } from '../../config.js'
import { StorageUnavailable } from '../../errors.js'
import { checkPhotoKey, type PhotoStorage } from './storage.js'

/**
 * Photos in an S3-compatible bucket (AWS S3, MinIO, Garage, Ceph RGW, …), keyed exactly as on disk. The bucket stays
 * private: every photo is served through the API, which decides who may see it. A PUT is atomic in S3, so a reader
 * never meets half an object.
 */
export class S3PhotoStorage implements PhotoStorage {
  readonly client: S3Client
  private readonly bucket: string

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      // Checksums only where S3 requires them: many S3-compatible stores refuse the SDK's newer default trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A store that does not answer must turn into a 503 within a request's lifetime, not hang it.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
      maxAttempts: 3,
    })
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    checkPhotoKey(key)
    await guarded(() => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: data, ContentType: 'image/webp', ContentLength: data.byteLength })))
  }

  async get(key: string): Promise<Buffer | null> {
    checkPhotoKey(key)
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))
      return Buffer.from(await object.Body!.transformToByteArray())
    } catch (err) {
      if (err instanceof NoSuchKey || (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)) return null
      throw new StorageUnavailable({ cause: err })
    }
  }

  async delete(key: string): Promise<void> {
    checkPhotoKey(key)
    await guarded(() => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })))
  }

  async *list(): AsyncIterable<{ key: string; modifiedAt: Date }> {
    try {
      for await (const page of paginateListObjectsV2({ client: this.client, pageSize: 1000 }, { Bucket: this.bucket })) {
        for (const object of page.Contents ?? []) {
          if (object.Key && object.LastModified) yield { key: object.Key, modifiedAt: object.LastModified }
        }
      }
    } catch (err) {
      throw new StorageUnavailable({ cause: err })
    }
  }

  close(): void {
    this.client.destroy()
  }
}

/** Any failure of the store (down, refused, full) answers 503 STORAGE_UNAVAILABLE wherever it happens. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw new StorageUnavailable({ cause: err })
  }
}
