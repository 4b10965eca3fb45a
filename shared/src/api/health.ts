import { Type, type Static } from 'typebox'

export const HealthReply = Type.Object({ status: Type.Literal('ok') })
export type HealthReply = Static<typeof HealthReply>

export const ReadyReply = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
})
export type ReadyReply = Static<typeof ReadyReply>
