import { asc, eq } from 'drizzle-orm'
import type { RoutingRuleBody, RoutingRuleView } from '@nabij/shared/api/zones'
import type { Category } from '@nabij/shared/domain/categories'
import type { Queue } from '@nabij/shared/domain/statuses'
import type { Db } from '../../db/connect.js'
import { routingRules, staffUsers, zones } from '../../db/schema.js'
import { NotFound, StaffNotFound, ZoneNotFound } from '../../errors.js'
import { audit } from '../audit/service.js'

type RuleRow = typeof routingRules.$inferSelect

function view(row: RuleRow): RoutingRuleView {
  return {
    id: row.id, position: row.position, name: row.name, category: row.category as Category | null, zoneId: row.zoneId,
    weekdays: row.weekdays, fromMinute: row.fromMinute, toMinute: row.toMinute, queue: row.queue as Queue,
    assignStaffId: row.assignStaffId, enabled: row.enabled,
  }
}

export async function listRules(db: Db): Promise<RoutingRuleView[]> {
  return (await db.select().from(routingRules).orderBy(asc(routingRules.position), asc(routingRules.id))).map(view)
}

async function checkReferences(tx: Db, input: RoutingRuleBody): Promise<void> {
  if (input.zoneId !== null) {
    const [zone] = await tx.select({ id: zones.id }).from(zones).where(eq(zones.id, input.zoneId))
    if (!zone) throw new ZoneNotFound(String(input.zoneId))
  }
  if (input.assignStaffId !== null) {
    const [staff] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, input.assignStaffId))
    if (!staff) throw new StaffNotFound(String(input.assignStaffId))
  }
}

/** Rules refine routing of the zone-officer categories only; the category floor is applied before any rule. */
export async function createRule(db: Db, actorStaffId: number | null, input: RoutingRuleBody): Promise<RoutingRuleView> {
  return db.transaction(async (tx) => {
    await checkReferences(tx, input)
    const [row] = await tx.insert(routingRules).values(input).returning()
    await audit(tx, { staffId: actorStaffId, action: 'routing_rule.create', targetType: 'routing_rule', targetId: row!.id, detail: { ...input } })
    return view(row!)
  })
}

export async function updateRule(db: Db, actorStaffId: number | null, id: number, input: RoutingRuleBody): Promise<RoutingRuleView> {
  return db.transaction(async (tx) => {
    await checkReferences(tx, input)
    const [row] = await tx.update(routingRules).set(input).where(eq(routingRules.id, id)).returning()
    if (!row) throw new NotFound()
    await audit(tx, { staffId: actorStaffId, action: 'routing_rule.update', targetType: 'routing_rule', targetId: id, detail: { ...input } })
    return view(row)
  })
}

/** Reports keep naming the rule that routed them, so a rule is disabled rather than deleted. */
export async function disableRule(db: Db, actorStaffId: number | null, id: number): Promise<RoutingRuleView> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(routingRules).set({ enabled: false }).where(eq(routingRules.id, id)).returning()
    if (!row) throw new NotFound()
    await audit(tx, { staffId: actorStaffId, action: 'routing_rule.disable', targetType: 'routing_rule', targetId: id })
    return view(row)
  })
}
