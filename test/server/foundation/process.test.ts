import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** The real entry point, as `npm start` runs it, on an embedded database in a temporary dir. */
function startServer(): Promise<{ port: number; output: () => string; exited: Promise<number | null>; kill: (signal: NodeJS.Signals) => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'nabij-proc-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...process.env, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', NABIJ_DATA_DIR: dir, NABIJ_DEMO: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (match) resolve({ port: Number(match[1]), output: () => output, exited, kill: (s) => child.kill(s) })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
}

// Excluded from the server-postgres project (vitest.config.ts): this checks the process, not the database.
describe('the server process', { timeout: 180_000 }, () => {
  it('logs requests without IP address, user agent or query string', async () => {
    const server = await startServer()
    await fetch(`http://127.0.0.1:${server.port}/healthz?receipt=1234`, { headers: { 'user-agent': 'TrackMe/1.0' } })
    server.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    const log = server.output()
    expect(log).toMatch(/"url":"\/healthz"/)
    expect(log).not.toMatch(/127\.0\.0\.1"|remoteAddress|TrackMe|receipt=1234/)
  })

  it('finishes a request in flight on SIGTERM, then exits cleanly', async () => {
    const server = await startServer()
    // Open a request and send its body slowly: it is in flight when the signal arrives.
    const answer = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/reports', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.write('{"category":"drugs",')
      setTimeout(() => {
        server.kill('SIGTERM')
        setTimeout(() => req.end('"description":"Dealing at the corner","location":{"lat":50.8275,"lon":4.3721},"anonymous":true}'), 300)
      }, 200)
    })
    expect(await answer).toBe(201)
    expect(await server.exited).toBe(0)
    expect(server.output()).toMatch(/shutting down/)
  })

  it('serves the OpenAPI document with named shared schemas', async () => {
    const server = await startServer()
    const res = await fetch(`http://127.0.0.1:${server.port}/api/docs/json`)
    const doc = await res.json() as { openapi: string; paths: Record<string, unknown> }
    server.kill('SIGTERM')
    await server.exited
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/reports', '/api/categories', '/healthz', '/readyz']))
    expect(JSON.stringify(doc)).not.toMatch(/def-0/)
  })
})
