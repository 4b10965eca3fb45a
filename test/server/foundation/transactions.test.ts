import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { afterCommit } from '../../../server/src/db/after-commit.js'
import { zones } from '../../../server/src/db/schema.js'
import { freshDatabase, engine, type TestDatabase } from '../helpers/database.js'
import { aZone } from '../helpers/factories.js'

/** `db.transaction`: callbacks after COMMIT, and a deadlock victim run again instead of answered with a 500. */
let database: TestDatabase

beforeAll(async () => {
  database = await freshDatabase()
})
afterAll(() => database.close())

describe('transactions', () => {
  // PGlite has one connection: its transactions never overlap, so they cannot deadlock.
  if (engine === 'postgres') it('runs the deadlock victim again, so both writers succeed and each commit’s callbacks run once', async () => {
    const db = database.db
    const [one, two] = [await aZone(db), await aZone(db)]
    let runs = 0
    const committed: string[] = []
    let arrived = 0
    const bothHoldTheirFirstRow = new Promise<void>((resolve) => {
      const check = setInterval(() => { if (arrived >= 2) { clearInterval(check); resolve() } }, 5)
    })
    // Each locks one zone, waits until the other holds its own, then wants the other's: a deadlock PostgreSQL breaks
    // by aborting one of them after deadlock_timeout.
    const writer = (name: string, first: number, second: number) => db.transaction(async (tx) => {
      const attempt = ++runs
      await tx.update(zones).set({ name: sql`${zones.name} || ${`+${name}`}` }).where(eq(zones.id, first))
      if (attempt <= 2) {
        arrived++
        await bothHoldTheirFirstRow
      }
      await tx.update(zones).set({ name: sql`${zones.name} || ${`+${name}`}` }).where(eq(zones.id, second))
      afterCommit(() => { committed.push(name) })
    })
    await Promise.all([writer('a', one.id, two.id), writer('b', two.id, one.id)])

    expect(runs).toBe(3)
    expect(committed.sort()).toEqual(['a', 'b'])
    const names = await db.select({ id: zones.id, name: zones.name }).from(zones).where(sql`${zones.id} in (${one.id}, ${two.id})`)
    for (const zone of names) expect(zone.name.split('+').slice(1).sort()).toEqual(['a', 'b'])
  }, 20_000)

  it('rolls back and drops the callbacks of a transaction that fails for another reason, without running it again', async () => {
    const db = database.db
    const zone = await aZone(db)
    let runs = 0
    const committed: string[] = []
    await expect(db.transaction(async (tx) => {
      runs++
      await tx.update(zones).set({ name: 'changed' }).where(eq(zones.id, zone.id))
      afterCommit(() => { committed.push('x') })
      throw new Error('refused')
    })).rejects.toThrow('refused')
    expect(runs).toBe(1)
    expect(committed).toEqual([])
    const [row] = await db.select({ name: zones.name }).from(zones).where(eq(zones.id, zone.id))
    expect(row!.name).toBe(zone.name)
  })
})
