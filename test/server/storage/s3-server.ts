import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'
import type { S3Settings } from '../../../server/src/config.js'

/**
 * A real S3-compatible server on a loopback port (s3rver: the S3 REST API over a directory, signatures checked), a
 * third-party stand-in for MinIO or AWS. `stop()` takes it off the network as a crashed store would be; `start()`
 * brings it back on the same port with the same objects.
 */
export class LocalS3 {
  readonly bucket = 'nabij-photos'
  private readonly directory = mkdtempSync(join(tmpdir(), 'nabij-s3-'))
  private server: S3rver | null = null
  port = 0

  get settings(): S3Settings {
    return {
      bucket: this.bucket,
      endpoint: `http://127.0.0.1:${this.port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
    }
  }

  get env(): Record<string, string> {
    const s = this.settings
    return { S3_BUCKET: s.bucket, S3_ENDPOINT: s.endpoint!, S3_REGION: s.region, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: '1' }
  }

  async start(): Promise<this> {
    this.server = new S3rver({ address: '127.0.0.1', port: this.port, silent: true, directory: this.directory, configureBuckets: [{ name: this.bucket }] })
    this.port = (await this.server.run()).port
    return this
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = null
    if (!server) return
    const closed = server.close()
    // The SDK keeps connections alive; a crashed store drops them.
    server.httpServer.closeAllConnections()
    await closed
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.directory, { recursive: true, force: true })
  }
}
