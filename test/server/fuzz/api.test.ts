import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, describe, expect, it } from 'vitest'
import { errorCodes } from '@nabij/shared/api/errors'
import fr from '@nabij/shared/locales/fr.json' with { type: 'json' }
import { startApp } from '../helpers/app.js'
import { describeRequest, operationsOf, requestFor, type Identity, type Operation } from './requests.js'
import { seedWorld } from './world.js'

/**
 * Property test over the whole documented API: requests drawn from each operation's own OpenAPI schemas (mostly
 * valid, with garbage, huge and unicode-heavy values mixed in), anonymously and as a signed-in admin and officer
 * with their CSRF token. Never a 5xx; every 4xx carries a stable code and its French text from fr.json.
 * FUZZ_SEED replays a run, FUZZ_RUNS scales it, FUZZ_LOG=error prints the server's stack of a 5xx.
 */
const seed = Number(process.env.FUZZ_SEED ?? 20260311)
const scale = Number(process.env.FUZZ_RUNS ?? 1)

// A LibreTranslate-style server, so suggested translations run their handler instead of reporting no provider.
const translateServer = createServer((req, res) => {
  let body = ''
  req.on('data', (chunk) => { body += chunk })
  req.on('end', () => {
    const { q, target } = JSON.parse(body) as { q: string; target: string }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ translatedText: `[${target}] ${q}` }))
  })
})
await new Promise<void>((resolve) => translateServer.listen(0, '127.0.0.1', resolve))
const translateUrl = `http://127.0.0.1:${(translateServer.address() as AddressInfo).port}`

const t = await startApp({ logLevel: process.env.FUZZ_LOG ?? 'silent', translateUrl })
afterAll(async () => {
  await t.close()
  translateServer.close()
})
const world = await seedWorld(t)
const operations = operationsOf((await t.app.inject('/api/docs/json')).json())

const label = (op: Operation) => `${op.method} ${op.path}`
const frenchMessages = new Set(Object.values(fr.errors as Record<string, string>))
const xmlText = (s: string) => s.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

/** What is wrong with an answer, or null. */
function problemWith(op: Operation, res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `answered ${res.statusCode}: ${res.body.slice(0, 300)}`
  if (res.statusCode < 400) return null
  if (op.path.startsWith('/open311/')) {
    // GeoReport v2 errors: [{ code: <status>, description }], in JSON or XML as asked.
    const description = res.headers['content-type']?.toString().includes('xml')
      ? xmlText(/<description>([^<]*)<\/description>/.exec(res.body)?.[1] ?? '')
      : (JSON.parse(res.body) as { description: string }[])[0]?.description
    return description && frenchMessages.has(description) ? null : `open311 error without a French description: ${res.body.slice(0, 300)}`
  }
  let body: { code?: string; message?: string }
  try {
    body = JSON.parse(res.body)
  } catch {
    return `${res.statusCode} without a JSON body: ${res.body.slice(0, 300)}`
  }
  if (!body.code || !(errorCodes as string[]).includes(body.code)) return `${res.statusCode} with an unknown code ${JSON.stringify(body.code)}`
  const expected = (fr.errors as Record<string, string>)[body.code]
  if (body.message !== expected) return `${res.statusCode} ${body.code} with message ${JSON.stringify(body.message)}, not fr.json's ${JSON.stringify(expected)}`
  return null
}

/** Operations that answered 2xx at least once: the generated requests reach the handlers, not only validation. */
const succeeded = new Set<string>()

/** Requests that can sign the fuzzing accounts out, disable or demote them. */
const touchesAccounts = (op: Operation) => /^\/api\/staff\/(session|users|me)/.test(op.path)

async function fuzz(op: Operation, who: Identity, numRuns: number): Promise<void> {
  const runSeed = seed + [...`${op.method} ${op.path} ${who.name}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 0)
  if (who.cookie) await world.restore()
  await fc.assert(fc.asyncProperty(requestFor(op, who, world), async (request) => {
    const res = await t.app.inject(request)
    if (res.statusCode < 300) succeeded.add(label(op))
    if (who.cookie && touchesAccounts(op)) await world.restore()
    const problem = problemWith(op, res)
    if (problem) throw new Error(`${problem}\n${describeRequest(request)}\n(replay with FUZZ_SEED=${seed})`)
  }), { seed: runSeed, numRuns: Math.max(1, Math.round(numRuns * scale)), endOnFailure: true })
}


describe('every documented operation, without a session', () => {
  it.each(operations.map((op) => [label(op), op] as const))('%s answers bad input with a stable, translated 4xx and never a 5xx', async (_label, op) => {
    await fuzz(op, { name: 'anonymous' }, 12)
  })
})

describe('staff operations as a signed-in admin and officer', () => {
  const staffOps = operations.filter((op) => op.staff)
  it('covers the staff operations', () => {
    expect(staffOps.length).toBeGreaterThan(40)
  })
  it.each(staffOps.map((op) => [label(op), op] as const))('%s answers an admin without a 5xx', async (_label, op) => {
    await fuzz(op, world.identities.admin, 15)
  })
  it.each(staffOps.map((op) => [label(op), op] as const))('%s answers an officer without a 5xx', async (_label, op) => {
    await fuzz(op, world.identities.officer, 8)
  })
})

describe('the generated requests', () => {
  it('reach the handlers of most operations, not only their validation', () => {
    if (process.env.FUZZ_LOG) console.log(operations.map(label).filter((l) => !succeeded.has(l)).join('\n'))
    expect(succeeded.size / operations.length).toBeGreaterThan(0.6)
  })
})
