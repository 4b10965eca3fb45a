import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'

/**
 * Every environment variable the server reads, with the embedded-mode defaults. `process.env` is read here and
 * nowhere else; bad values are all reported at once.
 */
export const Env = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'HTTP port' }),
  HOST: Type.String({ default: '0.0.0.0', description: 'Interface to listen on' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'PostgreSQL URL; absent → embedded PGlite' })),
  NABIJ_DATA_DIR: Type.String({ default: './data', description: 'Embedded database, generated secrets and photos' }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'Address residents use (default http://localhost:PORT); https enables Secure cookies' })),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'Signs staff sessions and ballots; required with DATABASE_URL' })),
  RECEIPT_PEPPER: Type.Optional(Type.String({ minLength: 32, description: 'HMAC key for receipt codes; required with DATABASE_URL' })),
  NABIJ_DEMO: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0', description: 'Seed demo data into an empty database' }),
  PHOTO_DIR: Type.Optional(Type.String({ description: 'Where processed photos are stored; default <data dir>/photos' })),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  MAP_TILE_URL: Type.Optional(Type.String({ description: 'Raster tile URL template for the maps; none → outline maps only' })),
  TRUST_PROXY: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0', description: 'Behind a reverse proxy' }),
  TRANSLATE_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'LibreTranslate-compatible server for suggested translations; none → officers translate by hand' })),
  TRANSLATE_API_KEY: Type.Optional(Type.String({ description: 'API key for TRANSLATE_URL, when it needs one' })),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://', description: 'Mail server for updates to consenting named reporters; none → no email' })),
  MAIL_FROM: Type.String({ default: 'Nabij <no-reply@localhost>', description: 'Sender of those emails' }),
  S3_BUCKET: Type.Optional(Type.String({ minLength: 3, maxLength: 63, description: 'Keep photos in this S3-compatible bucket instead of PHOTO_DIR' })),
  S3_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://', description: 'S3-compatible endpoint (MinIO, Garage, Ceph…); none → AWS S3 for S3_REGION' })),
  S3_REGION: Type.String({ default: 'us-east-1', description: 'Region of the bucket (most S3-compatible stores accept any)' }),
  S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1, description: 'Access key; none → the AWS SDK default credential chain' })),
  S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1, description: 'Secret key, with S3_ACCESS_KEY_ID' })),
  S3_FORCE_PATH_STYLE: Type.Union([Type.Literal('0'), Type.Literal('1')], { default: '0', description: '1: bucket in the path (MinIO and most self-hosted stores), not in the host name' }),
  RETENTION_CONTACT_DAYS: Type.Integer({ minimum: 0, maximum: 3650, default: 90, description: "Days after closing when a named reporter's contact data is erased" }),
  RETENTION_REJECTED_PHOTO_DAYS: Type.Integer({ minimum: 0, maximum: 3650, default: 30, description: 'Days after moderation rejects a report or reply as spam or abuse when its photos are deleted' }),
  PHOTO_ORPHAN_GRACE_SECONDS: Type.Integer({ minimum: 0, default: 3600, description: 'At start, photo files without a database row and older than this are removed' }),
})
export type Env = Static<typeof Env>

export interface Config {
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  publicUrl: string
  sessionSecret: string
  receiptPepper: string
  demo: boolean
  photoDir: string
  logLevel: string
  mapTileUrl: string | undefined
  trustProxy: boolean
  secureCookies: boolean
  translateUrl: string | undefined
  translateApiKey: string | undefined
  smtpUrl: string | undefined
  mailFrom: string
  /** Set: photos live in this S3-compatible bucket; unset: under photoDir. */
  s3?: S3Settings | undefined
  /** Data minimisation (modules/retention); absent: the Env defaults. */
  retentionContactDays?: number
  retentionRejectedPhotoDays?: number
  /** How often the retention job runs; absent: hourly. */
  retentionIntervalMs?: number
  photoOrphanGraceSeconds?: number
  /** Slow-client limits (plugins/security.ts); absent: its defaults. Tests shorten them. */
  timeouts?: Partial<{ headersMs: number; requestMs: number; idleMs: number; keepAliveMs: number }>
}

export interface S3Settings {
  bucket: string
  endpoint: string | undefined
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined
  forcePathStyle: boolean
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
  }
}

/** Validates the environment; throws a ConfigError naming every bad value. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(Env.properties)) {
    const value = source[key]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const env = Value.Convert(Env, Value.Default(Env, raw)) as Env
  const problems = [...Value.Errors(Env, env)].map((e) => `${e.instancePath.slice(1) || '(root)'}: ${e.message}${e.instancePath ? ` (got ${JSON.stringify(raw[e.instancePath.slice(1)])})` : ''}`)
  if (env.DATABASE_URL) {
    // Several instances share one database: they must share these secrets, so nothing may be generated.
    if (!env.SESSION_SECRET) problems.push('SESSION_SECRET: required when DATABASE_URL is set (at least 32 characters)')
    if (!env.RECEIPT_PEPPER) problems.push('RECEIPT_PEPPER: required when DATABASE_URL is set (at least 32 characters)')
  }
  if (!env.S3_BUCKET && (env.S3_ENDPOINT || env.S3_ACCESS_KEY_ID || env.S3_SECRET_ACCESS_KEY)) problems.push('S3_BUCKET: required when other S3_ variables are set')
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: give both or neither')
  if (problems.length > 0) throw new ConfigError(problems)

  const dataDir = resolve(env.NABIJ_DATA_DIR)
  const secrets = env.DATABASE_URL ? { SESSION_SECRET: env.SESSION_SECRET!, RECEIPT_PEPPER: env.RECEIPT_PEPPER! } : embeddedSecrets(dataDir, env)
  return {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    dataDir,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    sessionSecret: secrets.SESSION_SECRET,
    receiptPepper: secrets.RECEIPT_PEPPER,
    demo: env.NABIJ_DEMO === '1',
    photoDir: resolve(env.PHOTO_DIR ?? join(dataDir, 'photos')),
    logLevel: env.LOG_LEVEL,
    mapTileUrl: env.MAP_TILE_URL,
    trustProxy: env.TRUST_PROXY === '1',
    secureCookies: env.PUBLIC_URL?.startsWith('https://') ?? false,
    translateUrl: env.TRANSLATE_URL?.replace(/\/$/, ''),
    translateApiKey: env.TRANSLATE_API_KEY,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    s3: env.S3_BUCKET
      ? {
          bucket: env.S3_BUCKET,
          endpoint: env.S3_ENDPOINT?.replace(/\/$/, ''),
          region: env.S3_REGION,
          credentials: env.S3_ACCESS_KEY_ID ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY! } : undefined,
          forcePathStyle: env.S3_FORCE_PATH_STYLE === '1',
        }
      : undefined,
    retentionContactDays: env.RETENTION_CONTACT_DAYS,
    retentionRejectedPhotoDays: env.RETENTION_REJECTED_PHOTO_DAYS,
    photoOrphanGraceSeconds: env.PHOTO_ORPHAN_GRACE_SECONDS,
  }
}

/**
 * In embedded mode a newcomer configures nothing: missing secrets are generated once with a CSPRNG and kept in the
 * data dir, readable by the owner only, so receipts stay valid across restarts.
 */
function embeddedSecrets(dataDir: string, env: Env): { SESSION_SECRET: string; RECEIPT_PEPPER: string } {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'secrets.json')
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
  let changed = false
  for (const key of ['SESSION_SECRET', 'RECEIPT_PEPPER'] as const) {
    if (!stored[key]) {
      stored[key] = randomBytes(32).toString('base64url')
      changed = true
    }
  }
  if (changed) writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  return { SESSION_SECRET: env.SESSION_SECRET ?? stored.SESSION_SECRET!, RECEIPT_PEPPER: env.RECEIPT_PEPPER ?? stored.RECEIPT_PEPPER! }
}

/** A config for tests and benches: embedded defaults with fixed secrets, no filesystem writes for secrets. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: resolve('.tmp/test-data'),
    publicUrl: 'http://localhost:3000',
    sessionSecret: 'test-session-secret-0123456789abcdef0123456789',
    receiptPepper: 'test-receipt-pepper-0123456789abcdef0123456789',
    demo: false,
    photoDir: resolve('.tmp/test-photos'),
    logLevel: 'silent',
    mapTileUrl: undefined,
    trustProxy: false,
    secureCookies: false,
    translateUrl: undefined,
    translateApiKey: undefined,
    smtpUrl: undefined,
    mailFrom: 'Nabij <no-reply@nabij.test>',
    ...overrides,
  }
}
