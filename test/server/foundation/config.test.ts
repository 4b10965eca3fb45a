import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../server/src/config.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'nabij-config-'))

describe('configuration', () => {
  it('uses the embedded defaults and generates secrets once, readable by the owner only', () => {
    const dir = tmp()
    const first = loadConfig({ NABIJ_DATA_DIR: dir })
    expect(first.port).toBe(3000)
    expect(first.databaseUrl).toBeUndefined()
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32)
    expect(first.receiptPepper).not.toBe(first.sessionSecret)
    const file = join(dir, 'secrets.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(file, 'utf8')).RECEIPT_PEPPER).toBe(first.receiptPepper)
    const second = loadConfig({ NABIJ_DATA_DIR: dir })
    expect(second.receiptPepper).toBe(first.receiptPepper)
    expect(second.sessionSecret).toBe(first.sessionSecret)
  })

  it('reads and converts the environment', () => {
    const config = loadConfig({ NABIJ_DATA_DIR: tmp(), PORT: '8080', HOST: '127.0.0.1', PUBLIC_URL: 'https://nabij.example/', NABIJ_DEMO: '1' })
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', publicUrl: 'https://nabij.example', demo: true, secureCookies: true })
  })

  it('reports every bad value at once', () => {
    try {
      loadConfig({ NABIJ_DATA_DIR: tmp(), PORT: 'eighty', PUBLIC_URL: 'nabij.example' })
      expect.unreachable('loadConfig accepted bad values')
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      const problems = (err as ConfigError).problems.join('\n')
      expect(problems).toMatch(/PORT/)
      expect(problems).toMatch(/PUBLIC_URL/)
    }
  })

  it('refuses to start on PostgreSQL without shared secrets', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/nabij' })).toThrow(/SESSION_SECRET[\s\S]*RECEIPT_PEPPER/)
  })

  it('exits with code 1 and a clear message on a bad value', async () => {
    const { spawnSync } = await import('node:child_process')
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { env: { ...process.env, PORT: 'x', NABIJ_DATA_DIR: tmp() }, encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/Nabij cannot start: invalid configuration/)
    expect(run.stderr).toMatch(/PORT/)
  })
})
