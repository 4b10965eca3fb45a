import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { Env, loadConfig } from '../../server/src/config.js'

/** No Docker engine runs here: the production shape is checked by reading the files it is made of. */
const composeText = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')
const compose = parse(composeText, { merge: true })
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8')
const caddyfile = readFileSync(new URL('../../deploy/Caddyfile', import.meta.url), 'utf8')
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

type Service = Record<string, unknown> & { environment?: Record<string, string>; profiles?: string[] }
const services = compose.services as Record<string, Service>
const apps = ['app1', 'app2'] as const
/** Every variable the server reads: derived from the config schema, so a new one fails here until compose passes it. */
const configVars = Object.keys(Env.properties)
/** What the image itself sets (ENV of the last stage): the port and address the health checks and Caddy rely on. */
const imageEnv = Object.fromEntries([...dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')).matchAll(/^ENV (.+)$/gm)]
  .flatMap((m) => m[1]!.split(/\s+/).map((pair) => pair.split('=') as [string, string])))
/** Set by compose itself, the same for every site: the database service, the photo volume, the proxy in front. */
const fixedByCompose = ['DATABASE_URL', 'PHOTO_DIR', 'TRUST_PROXY']

/** Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?error}` from a .env (the forms this file uses). */
function interpolate(value: string, dotenv: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string) => {
    const set = dotenv[name]
    if (set) return set
    if (op === '?') throw new Error(`required variable ${name} is missing a value: ${arg}`)
    return op === '-' ? arg : ''
  })
}

/** The configuration one app instance starts with, given a .env: what the container's environment makes of it. */
function appConfig(dotenv: Record<string, string>) {
  const environment = Object.fromEntries(Object.entries(services.app1!.environment!).map(([key, value]) => [key, interpolate(String(value), dotenv)]))
  return loadConfig({ ...imageEnv, ...environment })
}
const secrets = { POSTGRES_PASSWORD: 'pg-secret', SESSION_SECRET: 's'.repeat(48), RECEIPT_PEPPER: 'p'.repeat(48) }

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, two app instances and a reverse proxy; object storage only on request', () => {
    const always = Object.keys(services).filter((name) => !services[name]!.profiles)
    expect(always.sort()).toEqual(['app1', 'app2', 'db', 'proxy'])
    expect(services.db!.image).toMatch(/^postgres:/)
    expect(services.proxy!.image).toMatch(/^caddy:/)
    const optional = Object.keys(services).filter((name) => services[name]!.profiles)
    expect(optional.sort()).toEqual(['minio', 'minio-bucket'])
    for (const name of optional) expect(services[name]!.profiles).toEqual(['minio'])
  })

  it('gives every long-running service a health check and starts the apps only on a healthy database', () => {
    for (const [name, service] of Object.entries(services)) {
      // A one-shot job (restart: no) exits when done: there is nothing to check the health of.
      if (service.restart !== 'no') expect(service.healthcheck, name).toBeDefined()
    }
    for (const app of ['app1', 'app2']) {
      expect(compose.services[app].depends_on.db.condition).toBe('service_healthy')
      expect(JSON.stringify(compose.services[app].healthcheck.test)).toContain('/readyz')
    }
  })

  it('shares the database, the secrets and the photo volume between the instances', () => {
    const [a, b] = [compose.services.app1, compose.services.app2]
    for (const key of ['DATABASE_URL', 'SESSION_SECRET', 'RECEIPT_PEPPER', 'PHOTO_DIR']) {
      expect(a.environment[key], key).toBeTruthy()
      expect(a.environment[key]).toBe(b.environment[key])
    }
    expect(a.environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@db:5432\//)
    expect(a.volumes).toEqual(['photos:/data/photos'])
    expect(b.volumes).toEqual(a.volumes)
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['pgdata', 'photos']))
  })

  it('requires secrets from the environment instead of defaulting them', () => {
    for (const key of ['SESSION_SECRET', 'RECEIPT_PEPPER', 'POSTGRES_PASSWORD']) expect(composeText).toMatch(new RegExp(`\\$\\{${key}:\\?`))
    for (const key of Object.keys(secrets)) {
      expect(() => appConfig({ ...secrets, [key]: '' }), key).toThrow(new RegExp(`required variable ${key} is missing`))
    }
  })

  it('passes every variable the server reads to each app instance, or the image sets it', () => {
    for (const app of apps) {
      const passed = Object.keys(services[app]!.environment!)
      const missing = configVars.filter((key) => !passed.includes(key) && !(key in imageEnv))
      expect(missing, app).toEqual([])
      // And nothing the server would ignore (a misspelt name passes silently otherwise).
      expect(passed.filter((key) => !configVars.includes(key)), app).toEqual([])
    }
    expect(Object.keys(imageEnv)).toEqual(expect.arrayContaining(['PORT', 'HOST', 'NABIJ_DATA_DIR']))
  })

  it('takes every site setting from .env under its own name, empty meaning the server default', () => {
    const environment = services.app1!.environment!
    for (const key of Object.keys(environment).filter((k) => !fixedByCompose.includes(k))) {
      expect(environment[key], key).toMatch(new RegExp(`^\\$\\{${key}(:[-?].*)?\\}$`))
    }
    const config = appConfig(secrets)
    expect(config).toMatchObject({
      databaseUrl: 'postgres://nabij:pg-secret@db:5432/nabij',
      port: 3000,
      photoDir: '/data/photos',
      trustProxy: true,
      logLevel: 'info',
      smtpUrl: undefined,
      retentionContactDays: 90,
      s3: undefined,
    })
    expect(appConfig({ ...secrets, LOG_LEVEL: 'warn', RETENTION_CONTACT_DAYS: '30', SMTP_URL: 'smtp://mail:25' }))
      .toMatchObject({ logLevel: 'warn', retentionContactDays: 30, smtpUrl: 'smtp://mail:25' })
  })

  it('keeps photos on the shared volume by default and in the bucket once .env names one', () => {
    expect(appConfig(secrets).s3).toBeUndefined()
    const minio = { S3_BUCKET: 'nabij-photos', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: '1', S3_ACCESS_KEY_ID: 'nabij', S3_SECRET_ACCESS_KEY: 'minio-secret-key' }
    expect(appConfig({ ...secrets, ...minio }).s3).toEqual({
      bucket: 'nabij-photos',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'nabij', secretAccessKey: 'minio-secret-key' },
      forcePathStyle: true,
    })
    expect(services.app1!.environment!.S3_BUCKET).toBe(services.app2!.environment!.S3_BUCKET)
  })

  it('offers a private MinIO whose account and bucket are the apps’ S3 settings', () => {
    const [minio, bucket] = [services.minio!, services['minio-bucket']!]
    expect(minio.ports).toBeUndefined()
    expect(minio.environment).toEqual({ MINIO_ROOT_USER: '${S3_ACCESS_KEY_ID:-}', MINIO_ROOT_PASSWORD: '${S3_SECRET_ACCESS_KEY:-}' })
    expect(minio.volumes).toEqual(['minio:/data'])
    expect(bucket.depends_on).toEqual({ minio: { condition: 'service_healthy' } })
    const script = (bucket.command as string[]).join(' ')
    expect(script).toContain('mc alias set nabij http://minio:9000 "$$S3_ACCESS_KEY_ID" "$$S3_SECRET_ACCESS_KEY"')
    expect(script).toContain('mc mb --ignore-existing "nabij/$$S3_BUCKET"')
    expect(Object.keys(compose.volumes)).toContain('minio')
  })

  it('balances both instances behind the proxy and keeps residents’ addresses out', () => {
    expect(caddyfile).toMatch(/reverse_proxy app1:3000 app2:3000/)
    expect(caddyfile).toMatch(/health_uri \/readyz/)
    expect(caddyfile).toMatch(/log \{\s*output discard\s*\}/)
  })
})

describe('README', () => {
  it('documents every variable the server reads in its configuration table', () => {
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1))
    const documented = [...section.matchAll(/^\| (.+?) \|/gm)].flatMap((row) => [...row[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]))
    expect(configVars.filter((key) => !documented.includes(key))).toEqual([])
    expect(documented.filter((key) => !configVars.includes(key!))).toEqual([])
  })
})

describe('Dockerfile', () => {
  it('builds in stages and runs as a non-root user with a health check', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2)
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/^HEALTHCHECK /m)
    expect(dockerfile).toMatch(/npm ci --omit=dev/)
  })
})
