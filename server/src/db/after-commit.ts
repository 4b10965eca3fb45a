import { AsyncLocalStorage } from 'node:async_hooks'
import type { Db } from './connect.js'

interface Scope {
  callbacks: ((root: Db) => unknown)[]
  done: boolean
}

const scopes = new AsyncLocalStorage<Scope>()

/**
 * Runs `fn` once the transaction this code runs in has committed, with the root database; nothing if it rolls back.
 * `db.transaction` resolves after the promises these return settle (their failures are theirs to handle). Returns
 * false outside a transaction (autocommit: the write is already committed, call on your own).
 */
export function afterCommit(fn: (root: Db) => unknown): boolean {
  const scope = scopes.getStore()
  // A promise started inside a transaction can outlive it: past COMMIT it is on its own.
  if (!scope || scope.done) return false
  scope.callbacks.push(fn)
  return true
}

/** Deadlock (40P01) or serialization failure (40001): PostgreSQL rolled the transaction back and asks for a retry. */
export function retryableConflict(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '40P01' || e.code === '40001') return true
  }
  return false
}

const attempts = 3

/**
 * Makes `db.transaction` run the callbacks registered by `afterCommit` after COMMIT. Nested transactions (savepoints,
 * `tx.transaction`) share their outer transaction's scope, so their callbacks wait for the real commit.
 *
 * A transaction PostgreSQL chose as a deadlock victim (or a serialization failure) is rolled back whole, so it runs
 * again, up to three times, as PostgreSQL's manual advises: the callback must only touch the database (files go
 * before or after it, as everywhere here). The callbacks of a failed attempt are dropped with it.
 */
export function withAfterCommit(db: Db): Db {
  const transaction = db.transaction.bind(db)
  const wrapped = (async (fn, config) => {
    for (let attempt = 1; ; attempt++) {
      const scope: Scope = { callbacks: [], done: false }
      try {
        const result = await scopes.run(scope, () => transaction(fn, config))
        scope.done = true
        if (scope.callbacks.length > 0) await Promise.allSettled(scope.callbacks.map((callback) => callback(db)))
        return result
      } catch (err) {
        if (attempt < attempts && retryableConflict(err)) continue
        throw err
      } finally {
        scope.done = true
      }
    }
  }) as Db['transaction']
  db.transaction = wrapped
  return db
}
