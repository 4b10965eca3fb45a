import { Type, type Static } from 'typebox'
import { categoryKeys } from '../domain/categories.js'
import { languageCodes } from '../domain/languages.js'
import { Id } from './ids.js'

/**
 * Neighbourhood priorities: officers open a round of candidate issues, residents rank them anonymously until the
 * round closes, the Borda count is published, and the team commits to the top ones and reports on them in its
 * neighbourhood posts ("you said — we did").
 */

const Category = Type.Enum([...categoryKeys])
const Place = Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) })
const DateTime = Type.String({ format: 'date-time' })

export const CandidateInput = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 140 }),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  category: Type.Optional(Type.Union([Category, Type.Null()])),
  place: Type.Optional(Type.Union([Place, Type.Null()], { description: 'Snapped to a ~250 m cell centre when saved' })),
}, { additionalProperties: false })
export type CandidateInput = Static<typeof CandidateInput>

export const RoundInput = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 140 }),
  intro: Type.Optional(Type.String({ maxLength: 2000 })),
  language: Type.Enum([...languageCodes]),
  opensAt: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
  closesAt: Type.String({ format: 'date-time' }),
  candidates: Type.Array(CandidateInput, { minItems: 2, maxItems: 12 }),
}, { additionalProperties: false })
export type RoundInput = Static<typeof RoundInput>

export const PublicCandidate = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  category: Type.Union([Category, Type.Null()]),
  place: Type.Union([Place, Type.Null()]),
})
export type PublicCandidate = Static<typeof PublicCandidate>

export const RoundResult = Type.Object({
  candidateId: Type.Integer(),
  rank: Type.Integer({ minimum: 1 }),
  points: Type.Integer({ description: 'Borda points: with n candidates, a ballot gives n to its first choice, n − 1 to its second…, 0 to those it leaves out' }),
  firstChoices: Type.Integer(),
})
export type RoundResult = Static<typeof RoundResult>

export const roundStates = ['upcoming', 'open', 'closed'] as const
export type RoundState = (typeof roundStates)[number]

export const PublicRound = Type.Object({
  id: Type.Integer(),
  zoneId: Type.Integer(),
  title: Type.String(),
  intro: Type.String(),
  language: Type.String(),
  opensAt: DateTime,
  closesAt: DateTime,
  state: Type.Enum([...roundStates]),
  candidates: Type.Array(PublicCandidate),
  ballots: Type.Integer({ description: 'Ballots cast so far' }),
  results: Type.Union([Type.Array(RoundResult), Type.Null()], { description: 'Published once the round has closed' }),
  committed: Type.Array(Type.Integer(), { description: 'Candidate ids the team committed to, in its order' }),
})
export type PublicRound = Static<typeof PublicRound>

export const PublicRoundList = Type.Array(PublicRound)
export type PublicRoundList = Static<typeof PublicRoundList>

export const BallotTokenReply = Type.Object({
  token: Type.String({ description: 'Keep it in the browser: it allows one ballot per round, and identifies nobody' }),
})
export type BallotTokenReply = Static<typeof BallotTokenReply>

export const BallotBody = Type.Object({
  ranking: Type.Array(Id(), { minItems: 1, maxItems: 12, description: 'Candidate ids, most important first' }),
  receiptCode: Type.Optional(Type.String({ maxLength: 40, description: 'A receipt code of a report: one ballot per receipt' })),
  token: Type.Optional(Type.String({ maxLength: 200, description: 'A ballot token from POST /api/public/ballot-tokens' })),
}, { additionalProperties: false })
export type BallotBody = Static<typeof BallotBody>

export const BallotReply = Type.Object({ roundId: Type.Integer(), accepted: Type.Literal(true) })
export type BallotReply = Static<typeof BallotReply>

export const RoundIdParams = Type.Object({ id: Id() })
export type RoundIdParams = Static<typeof RoundIdParams>

// ---------------------------------------------------------------- staff

export const Proposal = Type.Object({
  title: Type.String(),
  category: Category,
  place: Type.Union([Place, Type.Null()]),
  reports: Type.Integer({ description: 'Reports behind the proposal in the period' }),
})
export type Proposal = Static<typeof Proposal>

export const ProposalsQuery = Type.Object({
  months: Type.Integer({ minimum: 1, maximum: 24, default: 6 }),
})
export type ProposalsQuery = Static<typeof ProposalsQuery>

export const ProposalsReply = Type.Object({
  categories: Type.Array(Proposal, { description: 'The most reported categories' }),
  places: Type.Array(Proposal, { description: 'The most reported ~250 m cells, each with its main category' }),
})
export type ProposalsReply = Static<typeof ProposalsReply>

export const StaffRound = Type.Object({
  ...PublicRound.properties,
  results: Type.Union([Type.Array(RoundResult), Type.Null()], { description: 'Staff see the count while the round runs' }),
  editable: Type.Boolean({ description: 'False once a ballot is cast' }),
})
export type StaffRound = Static<typeof StaffRound>

export const CommitBody = Type.Object({
  candidateIds: Type.Array(Id(), { minItems: 1, maxItems: 12, description: 'In the order of commitment' }),
}, { additionalProperties: false })
export type CommitBody = Static<typeof CommitBody>

export const PostPriorityBody = Type.Object({
  priorityId: Type.Union([Id(), Type.Null()], { description: 'A committed candidate of the post\'s zone, or null to unlink' }),
}, { additionalProperties: false })
export type PostPriorityBody = Static<typeof PostPriorityBody>

export const PostIdParams = Type.Object({ id: Id() })

// ---------------------------------------------------------------- you said — we did

export const PriorityPost = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  language: Type.String(),
  publishedAt: DateTime,
})

export const ZonePriority = Type.Object({
  id: Type.Integer({ description: 'The committed candidate' }),
  roundId: Type.Integer(),
  roundTitle: Type.String(),
  rank: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  category: Type.Union([Category, Type.Null()]),
  place: Type.Union([Place, Type.Null()]),
  committedAt: DateTime,
  posts: Type.Array(PriorityPost, { description: 'What the team did about it, newest first' }),
})
export type ZonePriority = Static<typeof ZonePriority>

export const ZonePriorities = Type.Array(ZonePriority)
export type ZonePriorities = Static<typeof ZonePriorities>
