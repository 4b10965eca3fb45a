// @vitest-environment node
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws'
import { liveCloseCodes } from '../../shared/src/api/live.js'
import { connectLive, unauthorisedClose, type LiveOptions, type LiveStatus } from '../../web/src/realtime/live'

/**
 * A websocket server speaking the server side of shared/src/api/live.ts, driven by each test, so the client's
 * reconnects, resumes and fallbacks are checked over real sockets.
 */
let server: WebSocketServer
let url: string
let sockets: ServerSocket[]
let frames: Record<string, unknown>[][]

beforeEach(async () => {
  sockets = []
  frames = []
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/live`
  server.on('connection', (socket) => {
    const received: Record<string, unknown>[] = []
    sockets.push(socket)
    frames.push(received)
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Record<string, unknown>
      received.push(frame)
      if (frame.type === 'subscribe') socket.send(JSON.stringify({ type: 'subscribed', channel: frame.channel, id: frame.id, lastEventId: 10 }))
    })
  })
})
afterEach(async () => {
  for (const socket of server.clients) socket.terminate()
  await new Promise((resolve) => server.close(resolve))
})

const event = (id: number) => JSON.stringify({ type: 'event', id, eventType: 'report.update_posted', at: new Date().toISOString(), data: {} })

function start(overrides: Partial<LiveOptions> = {}) {
  const log = { events: [] as number[], resyncs: 0, statuses: [] as LiveStatus[], unauthorized: 0 }
  const close = connectLive({
    subscription: { channel: 'report' },
    token: 'r1.1.9999999999.signature',
    url,
    WebSocket: NodeWebSocket as unknown as typeof WebSocket,
    initialBackoffMs: 20,
    maxBackoffMs: 40,
    pollMs: 30,
    onEvent: (e) => log.events.push(e.id),
    onResync: () => { log.resyncs += 1 },
    onStatus: (s) => log.statuses.push(s),
    onUnauthorized: () => { log.unauthorized += 1 },
    ...overrides,
  })
  return { log, close }
}

describe('the live client', () => {
  it('authenticates in the first frame, never in the URL, then subscribes and fetches once', async () => {
    const { log, close } = start()
    await expect.poll(() => log.statuses.at(-1)).toBe('live')
    expect(frames[0]![0]).toEqual({ type: 'auth', token: 'r1.1.9999999999.signature' })
    expect(frames[0]![1]).toEqual({ type: 'subscribe', channel: 'report' })
    expect(log.resyncs).toBe(1)
    close()
  })

  it('passes events on once each, in order, and drops a replayed one', async () => {
    const { log, close } = start()
    await expect.poll(() => log.statuses.at(-1)).toBe('live')
    sockets[0]!.send(event(11))
    sockets[0]!.send(event(12))
    sockets[0]!.send(event(12))
    sockets[0]!.send(event(9))
    await expect.poll(() => log.events).toEqual([11, 12])
    close()
  })

  it('reconnects after a lost connection and resumes from the last event it saw, polling meanwhile', async () => {
    const { log, close } = start()
    await expect.poll(() => log.statuses.at(-1)).toBe('live')
    sockets[0]!.send(event(15))
    await expect.poll(() => log.events).toEqual([15])
    sockets[0]!.terminate()
    await expect.poll(() => sockets.length).toBe(2)
    expect(log.statuses).toContain('polling')
    await expect.poll(() => frames[1]?.find((f) => f.type === 'subscribe')).toEqual({ type: 'subscribe', channel: 'report', lastEventId: 15 })
    await expect.poll(() => log.statuses.at(-1)).toBe('live')
    sockets[1]!.send(event(16))
    await expect.poll(() => log.events).toEqual([15, 16])
    close()
  })

  it('falls back to polling the API while no live feed answers', async () => {
    await new Promise((resolve) => server.close(resolve))
    const { log, close } = start({ url: 'ws://127.0.0.1:1/api/live' })
    await expect.poll(() => log.resyncs, { timeout: 3000 }).toBeGreaterThanOrEqual(3)
    expect(log.statuses).toContain('polling')
    expect(log.statuses).not.toContain('live')
    close()
  })

  it('reloads and follows only new events when the server says too much was missed', async () => {
    const { log, close } = start()
    await expect.poll(() => log.statuses.at(-1)).toBe('live')
    sockets[0]!.send(event(20))
    await expect.poll(() => log.events).toEqual([20])
    sockets[0]!.send(JSON.stringify({ type: 'resync', channel: 'report' }))
    await expect.poll(() => log.resyncs).toBe(2)
    await expect.poll(() => frames[0]!.filter((f) => f.type === 'subscribe').at(-1)).toEqual({ type: 'subscribe', channel: 'report' })
    close()
  })

  it('stops for good when the server refuses the token', async () => {
    const { log } = start()
    await expect.poll(() => sockets.length).toBe(1)
    sockets[0]!.close(liveCloseCodes.unauthorised, 'token invalid')
    await expect.poll(() => log.unauthorized).toBe(1)
    expect(log.statuses.at(-1)).toBe('closed')
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(sockets).toHaveLength(1)
  })

  it('closes the socket and stops polling when the page closes it', async () => {
    const { log, close } = start()
    await expect.poll(() => log.statuses.at(-1)).toBe('live')
    close()
    await expect.poll(() => sockets[0]!.readyState).toBe(NodeWebSocket.CLOSED)
    const resyncs = log.resyncs
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(log.resyncs).toBe(resyncs)
    expect(sockets).toHaveLength(1)
  })

  it('uses the close code the server documents for a refused token', () => {
    expect(unauthorisedClose).toBe(liveCloseCodes.unauthorised)
  })
})
