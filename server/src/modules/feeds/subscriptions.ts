import { createHmac, timingSafeEqual } from 'node:crypto'
import { and, eq, isNull, lt, sql } from 'drizzle-orm'
import { isLanguage, type Language } from '@nabij/shared/domain/languages'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { neighbourhoodPosts, outbox, zones, zoneSubscriptions } from '../../db/schema.js'
import { SubscriptionTokenInvalid, ZoneNotFound } from '../../errors.js'
import { translator } from '../../i18n.js'
import { rowsOf } from '../../db/raw.js'
import type { MailMessage } from '../updates/mailer.js'

/**
 * E-mail alerts of a zone's neighbourhood posts. Double opt-in: nothing but the confirmation is ever sent to an
 * address until its owner follows the signed link. Every alert carries a one-click unsubscribe (RFC 8058), which
 * deletes the row. The address is kept for this alone: it is never joined to a report.
 */
export const confirmLinkLifetimeMs = 7 * 86_400_000
/** A new confirmation for the same pending address at most this often: the form cannot be used to bomb a mailbox. */
export const resendAfterMs = 10 * 60_000

export const alertKinds = { confirm: 'email.zone_subscription_confirm', post: 'email.zone_post' } as const

type Purpose = 'confirm' | 'unsubscribe'

function signature(secret: string, purpose: Purpose, id: number, email: string, expires: number | null): string {
  return createHmac('sha256', secret).update(`zone-subscription:${purpose}:${id}:${email.toLowerCase()}:${expires ?? ''}`).digest('base64url')
}

export function subscriptionToken(secret: string, purpose: Purpose, subscription: { id: number; email: string }, now = Date.now()): string {
  const expires = purpose === 'confirm' ? Math.floor((now + confirmLinkLifetimeMs) / 1000) : null
  return [purpose === 'confirm' ? 'c' : 'u', subscription.id, ...(expires ? [expires] : []), signature(secret, purpose, subscription.id, subscription.email, expires)].join('.')
}

function parseToken(token: string, purpose: Purpose): { id: number; expires: number | null; sig: string } | null {
  const parts = token.split('.')
  const confirm = purpose === 'confirm'
  if (parts[0] !== (confirm ? 'c' : 'u') || parts.length !== (confirm ? 4 : 3)) return null
  const id = Number(parts[1])
  const expires = confirm ? Number(parts[2]) : null
  if (!Number.isSafeInteger(id) || id <= 0 || (confirm && !Number.isSafeInteger(expires))) return null
  return { id, expires, sig: parts.at(-1)! }
}

const sameSig = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * Registers a pending subscription and queues its confirmation mail. The answer is the same whether the address was
 * new, pending or already confirmed, so the form tells nobody who follows a zone.
 */
export async function subscribe(db: Db, zoneId: number, email: string, language: Language, now = new Date()): Promise<{ status: 'pending' }> {
  const [zone] = await db.select({ id: zones.id }).from(zones).where(eq(zones.id, zoneId))
  if (!zone) throw new ZoneNotFound(String(zoneId))
  await db.transaction(async (tx) => {
    // Unconfirmed addresses are not kept past their link's life.
    await tx.delete(zoneSubscriptions).where(and(isNull(zoneSubscriptions.confirmedAt), lt(zoneSubscriptions.createdAt, new Date(now.getTime() - confirmLinkLifetimeMs))))
    // The conflict target is the expression index (zone, lower(email)): drizzle's builder names columns only.
    const [row] = await rowsOf<{ id: number }>(tx, sql`
      insert into zone_subscriptions (zone_id, email, language, created_at)
      values (${zoneId}, ${email.trim()}, ${language}, ${now.toISOString()}::timestamptz)
      on conflict (zone_id, lower(email)) do update set language = excluded.language, created_at = excluded.created_at
      where zone_subscriptions.confirmed_at is null
        and zone_subscriptions.created_at < ${new Date(now.getTime() - resendAfterMs).toISOString()}::timestamptz
      returning id`)
    if (row) await tx.insert(outbox).values({ kind: alertKinds.confirm, payload: { subscriptionId: row.id } })
  })
  return { status: 'pending' }
}

export async function confirmSubscription(db: Db, config: Pick<Config, 'sessionSecret'>, token: string, now = new Date()): Promise<{ status: 'confirmed' }> {
  const parsed = parseToken(token, 'confirm')
  if (!parsed || parsed.expires! * 1000 < now.getTime()) throw new SubscriptionTokenInvalid()
  const [row] = await db.select().from(zoneSubscriptions).where(eq(zoneSubscriptions.id, parsed.id))
  if (!row || !sameSig(parsed.sig, signature(config.sessionSecret, 'confirm', row.id, row.email, parsed.expires))) throw new SubscriptionTokenInvalid()
  if (!row.confirmedAt) await db.update(zoneSubscriptions).set({ confirmedAt: now }).where(eq(zoneSubscriptions.id, row.id))
  return { status: 'confirmed' }
}

/**
 * Deletes the subscription. A token whose row is already gone answers "unsubscribed" too: mail clients repeat the
 * one-click POST, and the result the person wanted holds.
 */
export async function unsubscribe(db: Db, config: Pick<Config, 'sessionSecret'>, token: string): Promise<{ status: 'unsubscribed' }> {
  const parsed = parseToken(token, 'unsubscribe')
  if (!parsed) throw new SubscriptionTokenInvalid()
  const [row] = await db.select().from(zoneSubscriptions).where(eq(zoneSubscriptions.id, parsed.id))
  if (!row) return { status: 'unsubscribed' }
  if (!sameSig(parsed.sig, signature(config.sessionSecret, 'unsubscribe', row.id, row.email, null))) throw new SubscriptionTokenInvalid()
  await db.delete(zoneSubscriptions).where(eq(zoneSubscriptions.id, row.id))
  return { status: 'unsubscribed' }
}

/**
 * Queues one alert per confirmed subscriber of the zone, in the transaction that publishes the post (one INSERT …
 * SELECT, however many subscribers). The rows name the post and the subscription, never the address.
 */
export async function enqueuePostAlerts(tx: Db, post: { postId: number; zoneId: number }): Promise<void> {
  await tx.execute(sql`
    insert into outbox (kind, payload)
    select ${alertKinds.post}, jsonb_build_object('postId', ${post.postId}::int, 'subscriptionId', id)
    from zone_subscriptions where zone_id = ${post.zoneId} and confirmed_at is not null`)
}

const confirmUrl = (config: Config, token: string, language: string) => `${config.publicUrl}/api/public/subscriptions/confirm?token=${token}&lang=${language}`
export const unsubscribeUrl = (config: Config, token: string, language: string) => `${config.publicUrl}/api/public/subscriptions/unsubscribe?token=${token}&lang=${language}`

/**
 * The outbox renderer for alert mails, or undefined for another kind. Null skips the row: the subscription was
 * deleted, the post withdrawn, or a confirmation was asked for an address already confirmed.
 */
export async function renderAlertEmail(db: Db, config: Config, kind: string, payload: Record<string, unknown>, now = Date.now()): Promise<MailMessage | null | undefined> {
  if (kind !== alertKinds.confirm && kind !== alertKinds.post) return undefined
  const [row] = await db.select({ subscription: zoneSubscriptions, zoneName: zones.name, zoneNames: zones.names }).from(zoneSubscriptions)
    .innerJoin(zones, eq(zones.id, zoneSubscriptions.zoneId))
    .where(eq(zoneSubscriptions.id, Number(payload.subscriptionId)))
  if (!row) return null
  const { subscription } = row
  const language: Language = isLanguage(subscription.language) ? subscription.language : 'nl'
  const t = translator(language)
  const zone = row.zoneNames[language] ?? row.zoneName

  if (kind === alertKinds.confirm) {
    if (subscription.confirmedAt) return null
    const link = confirmUrl(config, subscriptionToken(config.sessionSecret, 'confirm', subscription, now), language)
    return { from: config.mailFrom, to: subscription.email, subject: t('alert.confirm_subject', { zone }), text: `${t('alert.confirm_body', { zone, link })}\n` }
  }

  if (!subscription.confirmedAt) return null
  const [post] = await db.select().from(neighbourhoodPosts)
    .where(and(eq(neighbourhoodPosts.id, Number(payload.postId)), eq(neighbourhoodPosts.zoneId, subscription.zoneId), isNull(neighbourhoodPosts.withdrawnAt)))
  if (!post) return null
  const unsubscribe = unsubscribeUrl(config, subscriptionToken(config.sessionSecret, 'unsubscribe', subscription, now), language)
  const text = [post.title, '', post.body, '', `${config.publicUrl}/neighbourhoods/${subscription.zoneId}#post-${post.id}`, '', '-- ', t('alert.footer', { zone, link: unsubscribe })].join('\n')
  return {
    from: config.mailFrom,
    to: subscription.email,
    subject: t('alert.post_subject', { zone, title: post.title }),
    text: `${text}\n`,
    // RFC 2369 and RFC 8058: the mail client offers "unsubscribe" and POSTs to the link without a page in between.
    headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  }
}
