import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Ballot tokens let a browser vote once per round without any account, cookie or IP address: the server hands out
 * a random nonce signed with the session secret, the browser keeps it, and the ballot stores only an HMAC of round
 * and nonce. Nothing in a ballot leads back to a person; clearing the browser's storage gives a new token, which is
 * the price of anonymity. A receipt code is the stronger key: one ballot per report.
 */
const prefix = 'b1'

const sign = (secret: string, nonce: string) => createHmac('sha256', secret).update(`ballot-token:${nonce}`).digest('base64url')

export function newBallotToken(secret: string): string {
  const nonce = randomBytes(16).toString('base64url')
  return `${prefix}.${nonce}.${sign(secret, nonce)}`
}

/** The nonce of a well-signed token, or null. */
export function ballotTokenNonce(secret: string, token: string): string | null {
  const [version, nonce, signature, ...rest] = token.split('.')
  if (version !== prefix || !nonce || !signature || rest.length > 0 || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) return null
  const expected = Buffer.from(sign(secret, nonce))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given) ? nonce : null
}

/** What a ballot keeps of its voter: keyed per round, so two rounds' ballots of one browser cannot be linked. */
export function voterKey(secret: string, roundId: number, voter: { receiptHash: string } | { nonce: string }): string {
  const who = 'receiptHash' in voter ? `receipt:${voter.receiptHash}` : `browser:${voter.nonce}`
  return createHmac('sha256', secret).update(`ballot:${roundId}:${who}`).digest('base64url')
}

export interface BordaRow { candidateId: number; points: number; firstChoices: number }

/** Ranks by Borda points, then first choices, then the order the officers gave the candidates. */
export function rankResults(candidateIds: number[], rows: BordaRow[]): { candidateId: number; rank: number; points: number; firstChoices: number }[] {
  const scored = candidateIds.map((candidateId, position) => {
    const row = rows.find((r) => r.candidateId === candidateId)
    return { candidateId, position, points: row?.points ?? 0, firstChoices: row?.firstChoices ?? 0 }
  })
  scored.sort((a, b) => b.points - a.points || b.firstChoices - a.firstChoices || a.position - b.position)
  let rank = 0
  return scored.map((s, i) => {
    // Equal points and first choices share a rank.
    const prev = scored[i - 1]
    if (!prev || prev.points !== s.points || prev.firstChoices !== s.firstChoices) rank = i + 1
    return { candidateId: s.candidateId, rank, points: s.points, firstChoices: s.firstChoices }
  })
}
