import { targetOf, type Category } from '@nabij/shared/domain/categories'
import type { Queue } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'

export interface RouteDecision {
  zoneId: number | null
  queue: Queue
  routingRuleId: number | null
  /** Human-readable for staff: which floor or rule fired and why. */
  routingReason: string
  assignedStaffId: number | null
  promisedResponseHours: number
}

export const defaultPromisedResponseHours = 72

/**
 * Routes a report: zone by point-in-polygon, then the category floor (police conduct → oversight, municipal defects
 * → municipality), then the ordered rules. Takes the transaction of the intake so the decision is saved with it.
 * FIRST VERSION: only the category floor and the central queue; the zones module replaces the body.
 */
export async function routeReport(_tx: Db, _location: { lat: number; lon: number } | null, category: Category, _at: Date = new Date()): Promise<RouteDecision> {
  const target = targetOf(category)
  if (target === 'oversight') return { zoneId: null, queue: 'oversight', routingRuleId: null, routingReason: 'category floor: police conduct → oversight', assignedStaffId: null, promisedResponseHours: defaultPromisedResponseHours }
  if (target === 'municipality') return { zoneId: null, queue: 'municipality', routingRuleId: null, routingReason: 'category floor: municipal defect → municipality', assignedStaffId: null, promisedResponseHours: defaultPromisedResponseHours }
  return { zoneId: null, queue: 'central', routingRuleId: null, routingReason: 'outside every zone → central queue', assignedStaffId: null, promisedResponseHours: defaultPromisedResponseHours }
}
