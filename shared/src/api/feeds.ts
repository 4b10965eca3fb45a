import { Type, type Static } from 'typebox'
import { languageCodes } from '../domain/languages.js'

/** E-mail alerts of a zone's neighbourhood posts: double opt-in, one-click unsubscribe, the address used for nothing else. */

export const SubscribeBody = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  language: Type.Optional(Type.Enum([...languageCodes], { description: 'Language of the alerts; default the request language' })),
}, { additionalProperties: false })
export type SubscribeBody = Static<typeof SubscribeBody>

export const SubscribeReply = Type.Object({
  status: Type.Literal('pending', { description: 'Always the same answer: whether the address was already subscribed is never told' }),
})
export type SubscribeReply = Static<typeof SubscribeReply>

export const SubscriptionTokenQuery = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 300 }),
  lang: Type.Optional(Type.String()),
})
export type SubscriptionTokenQuery = Static<typeof SubscriptionTokenQuery>

export const SubscriptionActionReply = Type.Object({
  status: Type.Enum(['confirmed', 'unsubscribed']),
})
export type SubscriptionActionReply = Static<typeof SubscriptionActionReply>
