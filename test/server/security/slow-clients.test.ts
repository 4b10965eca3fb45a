import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import nl from '@nabij/shared/locales/nl.json' with { type: 'json' }
import { startApp, type TestApp } from '../helpers/app.js'

let t: TestApp
let port: number
beforeAll(async () => {
  // Short deadlines, so a cut-off comes within the test; the behaviour is the production one.
  t = await startApp({ timeouts: { headersMs: 300, requestMs: 1_000, idleMs: 3_000, keepAliveMs: 200 } })
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  port = (t.app.server.address() as AddressInfo).port
})
afterAll(() => t.close())

/**
 * A raw TCP client: writes `opening`, then `drip` every 50 ms for as long as the server keeps the socket open.
 * Resolves with everything the server sent once it closes the connection.
 */
function slowClient(opening: string, drip?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    let timer: NodeJS.Timeout | undefined
    socket.setEncoding('utf8')
    socket.on('connect', () => {
      if (opening) socket.write(opening)
      if (drip) timer = setInterval(() => { if (socket.writable) socket.write(drip) }, 50)
    })
    socket.on('data', (chunk: string) => { received += chunk })
    socket.on('error', (err: NodeJS.ErrnoException) => { if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err) })
    socket.on('close', () => {
      clearInterval(timer)
      resolve(received)
    })
  })
}

function parse(raw: string): { status: number; body: unknown } {
  const [head = '', body = ''] = raw.split('\r\n\r\n')
  return { status: Number(head.split(' ')[1]), body: body ? JSON.parse(body) : null }
}

describe('slow clients', () => {
  it('are cut off when they trickle their headers, with a 408 and a stable code', async () => {
    const raw = await slowClient('GET /healthz HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: a\r\n')
    expect(parse(raw)).toEqual({ status: 408, body: { code: 'REQUEST_TIMEOUT', message: nl.errors.REQUEST_TIMEOUT } })
  })

  it('are cut off when they trickle their body', async () => {
    const raw = await slowClient('POST /api/receipt/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{"code":"', '1')
    expect(parse(raw).status).toBe(408)
  })

  it('are disconnected when they connect and send nothing', async () => {
    const raw = await slowClient('')
    // Closed: silently, or with the 408 when the header deadline came first.
    expect(raw === '' || raw.startsWith('HTTP/1.1 408 ')).toBe(true)
  })

  it('lose an idle keep-alive connection after their answer', async () => {
    const raw = await slowClient('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n')
    expect(raw).toMatch(/^HTTP\/1\.1 200 /)
    expect(raw).toContain('"status":"ok"')
    // Closed quietly: the header deadline does not run between requests, so no stray 408 reaches a proxy.
    expect(raw).not.toContain('408')
  })

  it('leave a prompt client unaffected', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/categories`)
    expect(res.status).toBe(200)
  })
})
