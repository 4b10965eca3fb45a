// The part of s3rver 3.x these tests use (the package ships no typings).
declare module 's3rver' {
  import type { AddressInfo } from 'node:net'
  import type { Server } from 'node:http'

  interface S3rverOptions {
    address?: string
    port?: number
    silent?: boolean
    directory?: string
    configureBuckets?: { name: string }[]
    allowMismatchedSignatures?: boolean
  }

  export default class S3rver {
    constructor(options: S3rverOptions)
    httpServer: Server
    run(): Promise<AddressInfo>
    close(): Promise<void>
  }
}
