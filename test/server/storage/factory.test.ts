import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, testConfig } from '../../../server/src/config.js'
import { S3PhotoStorage } from '../../../server/src/modules/photos/s3-storage.js'
import { photoStorage } from '../../../server/src/modules/photos/storage-factory.js'
import { LocalPhotoStorage } from '../../../server/src/modules/photos/storage.js'

const dir = mkdtempSync(join(tmpdir(), 'nabij-factory-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const s3Env = { S3_BUCKET: 'nabij-photos', S3_ENDPOINT: 'http://127.0.0.1:9000/', S3_ACCESS_KEY_ID: 'nabij', S3_SECRET_ACCESS_KEY: 'secret-secret', S3_FORCE_PATH_STYLE: '1' }

describe('photo storage configuration', () => {
  it('keeps photos on disk under PHOTO_DIR when no bucket is configured', () => {
    const config = loadConfig({ NABIJ_DATA_DIR: dir })
    expect(config.s3).toBeUndefined()
    expect(photoStorage(config)).toBeInstanceOf(LocalPhotoStorage)
  })

  it('reads the S3 variables into one setting and picks the S3 store for it', () => {
    const config = loadConfig({ NABIJ_DATA_DIR: dir, ...s3Env })
    expect(config.s3).toEqual({
      bucket: 'nabij-photos',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'nabij', secretAccessKey: 'secret-secret' },
      forcePathStyle: true,
    })
    const storage = photoStorage(config)
    expect(storage).toBeInstanceOf(S3PhotoStorage)
    ;(storage as S3PhotoStorage).close()
  })

  it('leaves credentials to the SDK’s default chain when none are given', () => {
    expect(loadConfig({ NABIJ_DATA_DIR: dir, S3_BUCKET: 'nabij-photos', S3_REGION: 'eu-central-1' }).s3).toMatchObject({ credentials: undefined, endpoint: undefined, region: 'eu-central-1', forcePathStyle: false })
  })

  it('gives every module of one app the same store', () => {
    const config = testConfig({ photoDir: join(dir, 'photos') })
    expect(photoStorage(config)).toBe(photoStorage(config))
    expect(photoStorage(testConfig({ photoDir: join(dir, 'photos') }))).not.toBe(photoStorage(config))
  })

  it('refuses half an S3 configuration, naming what is missing', () => {
    const problems = (source: Record<string, string>) => {
      try {
        loadConfig({ NABIJ_DATA_DIR: dir, ...source })
        return ''
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError)
        return (err as ConfigError).problems.join('\n')
      }
    }
    expect(problems({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toMatch(/S3_BUCKET: required/)
    expect(problems({ S3_BUCKET: 'nabij-photos', S3_ACCESS_KEY_ID: 'nabij' })).toMatch(/give both or neither/)
    expect(problems({ S3_BUCKET: 'nabij-photos', S3_ENDPOINT: 'minio:9000', S3_FORCE_PATH_STYLE: 'yes' })).toMatch(/S3_ENDPOINT[\s\S]*S3_FORCE_PATH_STYLE|S3_FORCE_PATH_STYLE[\s\S]*S3_ENDPOINT/)
  })
})
