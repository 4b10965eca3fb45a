import { sql } from 'drizzle-orm'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { notifyChannel } from '../../../shared/src/domain/events.js'
import { recordEvent, sequencerOf } from '../../../server/src/modules/realtime/events.js'
import { eventsAfter } from '../../../server/src/modules/realtime/feed.js'
import { freshDatabase, engine, type TestDatabase } from '../helpers/database.js'

/**
 * The event log's order: events are numbered after their commit, in commit order, so a reader that follows
 * `position > last` never misses one, however the writers' transactions interleave.
 */
let database: TestDatabase

beforeAll(async () => {
  database = await freshDatabase()
})

afterAll(async () => {
  await sequencerOf(database.db).stop()
  await database.close()
})

async function positions(): Promise<{ id: number; position: number | null }[]> {
  const result = await database.db.execute(sql`select id::int, position::int from events order by id`)
  return (result as unknown as { rows: { id: number; position: number | null }[] }).rows
}

describe('event sequencer', () => {
  it('has numbered an event by the time its transaction resolves, and announces the newest position', async () => {
    const heard: string[] = []
    const unlisten = await database.listen(notifyChannel, (payload) => heard.push(payload))
    const id = await database.db.transaction((tx) => recordEvent(tx, { type: 'zones.changed', payload: { n: 1 } }))
    const row = (await positions()).find((r) => r.id === id)!
    expect(row.position).toBeGreaterThan(0)
    const [event] = await eventsAfter(database.db, row.position! - 1, 10)
    expect(event).toMatchObject({ id: row.position, type: 'zones.changed', payload: { n: 1 } })
    await expect.poll(() => heard).toContain(String(row.position))
    await unlisten()
  })

  it('numbers nothing of a transaction that rolled back', async () => {
    const before = await positions()
    await expect(database.db.transaction(async (tx) => {
      await recordEvent(tx, { type: 'zones.changed' })
      throw new Error('changed my mind')
    })).rejects.toThrow('changed my mind')
    expect(await positions()).toEqual(before)
  })

  it('numbers an event left unnumbered (its instance died after the commit) on the next sweep', async () => {
    await database.db.execute(sql`insert into events (type, payload) values ('zones.changed', '{"orphan":true}')`)
    expect((await positions()).filter((r) => r.position === null)).toHaveLength(1)
    await sequencerOf(database.db).wake()
    expect((await positions()).filter((r) => r.position === null)).toHaveLength(0)
    const positionsInIdOrder = (await positions()).map((r) => r.position!)
    expect(positionsInIdOrder).toEqual([...positionsInIdOrder].sort((a, b) => a - b))
  })

  // Two transactions open at once need two connections: PostgreSQL only (PGlite has one).
  if (engine === 'postgres') {
    it('gives a late commit with a smaller id a later position, so a reader past the early one still sees it', async () => {
      const slow = new pg.Client({ connectionString: database.url })
      await slow.connect()
      try {
        await slow.query('begin')
        const { rows } = await slow.query<{ id: string }>(`insert into events (type, payload) values ('zones.changed', '{"who":"slow"}') returning id`)
        const slowId = Number(rows[0]!.id)

        // A second writer commits meanwhile, untroubled by the open transaction (no shared lock).
        const fastId = await database.db.transaction((tx) => recordEvent(tx, { type: 'zones.changed', payload: { who: 'fast' } }))
        expect(fastId).toBeGreaterThan(slowId)
        const seen = await eventsAfter(database.db, 0, 1000)
        const head = seen.at(-1)!
        expect(head.payload).toEqual({ who: 'fast' })

        await slow.query('commit')
        await sequencerOf(database.db).wake()
        const after = await eventsAfter(database.db, head.id, 1000)
        expect(after.map((e) => e.payload)).toEqual([{ who: 'slow' }])
        expect(after[0]!.id).toBeGreaterThan(head.id)
      } finally {
        await slow.end()
      }
    })

    it('keeps positions in commit order when many writers commit at once', async () => {
      const writes = Array.from({ length: 40 }, (_, i) => database.db.transaction((tx) => recordEvent(tx, { type: 'zones.changed', payload: { i } })))
      await Promise.all(writes)
      const rows = await positions()
      expect(rows.every((r) => r.position !== null)).toBe(true)
      expect(new Set(rows.map((r) => r.position)).size).toBe(rows.length)
    })
  }
})
