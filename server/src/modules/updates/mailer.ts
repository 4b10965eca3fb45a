import { eq, sql } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import { isLanguage, type Language } from '@nabij/shared/domain/languages'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { outbox, reports, reportUpdates, type OutboxMessage } from '../../db/schema.js'
import { translator } from '../../i18n.js'
import { renderUpdate } from '../reports/followup.js'
import { issueResidentToken } from '../reports/resident-token.js'
import { renderAlertEmail } from '../feeds/subscriptions.js'
import { mailable } from './timeline.js'

export interface MailMessage {
  from: string
  to: string
  subject: string
  text: string
  /** Extra headers, e.g. List-Unsubscribe on zone alerts. */
  headers?: Record<string, string>
}

/** What the worker needs of a mail server; nodemailer's SMTP transport in production. */
export interface MailTransport {
  sendMail(message: MailMessage): Promise<unknown>
  close?(): void
}

export function smtpTransport(url: string): MailTransport {
  return nodemailer.createTransport(url)
}

/** An email link opens the follow-up page for this long; the reporter can always use their receipt code after. */
export const emailLinkLifetimeMs = 14 * 86_400_000
export const maxAttempts = 10
const lease = '2 minutes'

/** 1 min, 2, 4 … capped at 6 h: a mail server down for a day is retried about ten times. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000)
}

/**
 * The email for one update, in the report's language. The link carries the token after `#`, so it never reaches a
 * server log or a Referer header. Null when the reporter can no longer be mailed (contact erased, consent withdrawn).
 */
export async function renderUpdateEmail(db: Db, config: Config, reportId: number, updateId: number, now = Date.now()): Promise<MailMessage | null> {
  const [report] = await db.select().from(reports).where(eq(reports.id, reportId))
  const [update] = await db.select().from(reportUpdates).where(eq(reportUpdates.id, updateId))
  if (!report || !update || !mailable(report) || update.visibility === 'internal') return null
  const language: Language = isLanguage(report.language) ? report.language : 'nl'
  const t = translator(language)
  const item = renderUpdate(update, [], language)
  const { token } = issueResidentToken(config, report.id, now, emailLinkLifetimeMs)
  const status = report.status === 'closed' && report.closeReason
    ? `${t(`status.${report.status}`)} — ${t(`close_reason.${report.closeReason}`)}`
    : t(`status.${report.status}`)
  const lines = [
    t('email.greeting', { name: report.reporterName ?? '' }),
    '',
    t('email.update_intro', { reference: report.reference }),
    '',
    item.text ?? '',
  ]
  if (item.original) lines.push('', `(${t('update_label.translated', { language: t(`language_name.${item.original.language}`) })})`, item.original.text)
  else if (item.language && item.language !== language) lines.push(`(${t('update_label.original', { language: t(`language_name.${item.language}`) })})`)
  lines.push('', t('email.status_line', { status }), '', t('email.follow_link'), `${config.publicUrl}/follow/#${token}`, '', '-- ', t('email.footer'))
  return {
    from: config.mailFrom,
    to: report.reporterEmail!,
    subject: t(update.kind === 'question' ? 'email.question_subject' : 'email.update_subject', { reference: report.reference }),
    text: lines.join('\n') + '\n',
  }
}

export interface DeliveryResult { sent: number; skipped: number; retried: number; failed: number }

/**
 * Claims due outbox rows (SKIP LOCKED: several instances share the work, none sends a row twice while its lease
 * holds) and sends them. A failure puts the row back with a growing delay; after `maxAttempts` it is kept, marked
 * failed, for an operator to see. Returns counts for this round.
 */
export async function deliverDue(db: Db, config: Config, transport: MailTransport, now = new Date(), limit = 20): Promise<DeliveryResult> {
  const at = now.toISOString()
  const claimed = await db.execute(sql`
    update ${outbox} set locked_until = ${at}::timestamptz + interval '${sql.raw(lease)}', attempts = attempts + 1
    where id in (
      select id from ${outbox}
      where sent_at is null and failed_at is null and available_at <= ${at}::timestamptz and (locked_until is null or locked_until <= ${at}::timestamptz)
      order by id limit ${limit} for update skip locked)
    returning id, kind, payload, attempts`)
  const rows = (claimed as unknown as { rows: Pick<OutboxMessage, 'id' | 'kind' | 'payload' | 'attempts'>[] }).rows
  const result: DeliveryResult = { sent: 0, skipped: 0, retried: 0, failed: 0 }
  for (const row of rows) {
    try {
      const message = row.kind === 'email.report_update'
        ? await renderUpdateEmail(db, config, Number(row.payload.reportId), Number(row.payload.updateId), now.getTime())
        : await renderAlertEmail(db, config, row.kind, row.payload, now.getTime()) ?? null
      if (message) await transport.sendMail(message)
      await db.update(outbox).set({ sentAt: now, lockedUntil: null, lastError: message ? null : 'skipped: reporter not reachable' }).where(eq(outbox.id, row.id))
      if (message) result.sent++
      else result.skipped++
    } catch (err) {
      // Only the server's reply code or the socket's error code (ECONNECTION: server down): never the address or the body.
      const failure = err as { responseCode?: number; code?: string; name?: string }
      const reason = String(failure.responseCode ?? failure.code ?? failure.name ?? 'error').slice(0, 200)
      const failed = row.attempts >= maxAttempts
      await db.update(outbox).set({
        lockedUntil: null,
        lastError: reason,
        availableAt: new Date(now.getTime() + backoffMs(row.attempts)),
        ...(failed ? { failedAt: now } : {}),
      }).where(eq(outbox.id, row.id))
      if (failed) result.failed++
      else result.retried++
    }
  }
  return result
}

/** Runs `deliverDue` every few seconds, and at once when this instance just wrote to the outbox. */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly transport: MailTransport,
    private readonly intervalMs = 5_000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.kick(), this.intervalMs)
    this.timer.unref()
    void this.kick()
  }

  kick(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      do {
        this.again = false
        try {
          const round = await deliverDue(this.db, this.config, this.transport)
          if (round.sent + round.skipped + round.retried + round.failed > 0) this.again = true
        } catch (err) {
          this.onError(err)
        }
      } while (this.again && this.timer)
    })().finally(() => { this.running = null })
    return this.running
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
    this.transport.close?.()
  }
}
