import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

/** No Docker engine runs here: the production shape is checked by reading the files it is made of. */
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true })
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8')
const caddyfile = readFileSync(new URL('../../deploy/Caddyfile', import.meta.url), 'utf8')

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, two app instances and a reverse proxy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app1', 'app2', 'db', 'proxy'])
    expect(compose.services.db.image).toMatch(/^postgres:/)
    expect(compose.services.proxy.image).toMatch(/^caddy:/)
  })

  it('gives every service a health check and starts the apps only on a healthy database', () => {
    for (const [name, service] of Object.entries<Record<string, unknown>>(compose.services)) {
      expect(service.healthcheck, name).toBeDefined()
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
    const raw = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')
    for (const key of ['SESSION_SECRET', 'RECEIPT_PEPPER', 'POSTGRES_PASSWORD']) expect(raw).toMatch(new RegExp(`\\$\\{${key}:\\?`))
  })

  it('balances both instances behind the proxy and keeps residents’ addresses out', () => {
    expect(caddyfile).toMatch(/reverse_proxy app1:3000 app2:3000/)
    expect(caddyfile).toMatch(/health_uri \/readyz/)
    expect(caddyfile).toMatch(/log \{\s*output discard\s*\}/)
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
