import { Type, type TNumberOptions } from 'typebox'

/**
 * Row ids in requests. Serial columns are PostgreSQL integers: a larger number can name no row, and passed on it
 * would fail in the database (a 500) instead of being refused as invalid input (a 400).
 */
export const maxId = 2_147_483_647

export const Id = (options: TNumberOptions = {}) => Type.Integer({ minimum: 1, maximum: maxId, ...options })

/** Ids of bigserial rows (reports, updates): as far as JavaScript counts exactly, far inside bigint. */
export const BigId = (options: TNumberOptions = {}) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...options })
