import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { smtpTransport, type MailTransport } from '../../../server/src/modules/updates/mailer.js'

export interface ReceivedMail { from: string; to: string[]; raw: string }

/**
 * A real SMTP server on a loopback port, keeping what it receives. `reject` makes it refuse messages with a temporary
 * error (451), as a busy mail server does.
 */
export class TestSmtp {
  received: ReceivedMail[] = []
  reject = false
  /** The app's own SMTP transport, pointed at this server once started: `deliverDue(db, config, smtp.transport)`. */
  transport!: MailTransport
  private waiters: ((mail: ReceivedMail) => void)[] = []
  readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      let raw = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => { raw += chunk })
      stream.on('end', () => {
        if (this.reject) return callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }))
        const mail = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw }
        this.received.push(mail)
        this.waiters.splice(0).forEach((resolve) => resolve(mail))
        callback()
      })
    },
  })

  /** Listens on `port` (default: any free one) and answers the URL to give SMTP_URL. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve))
    this.transport = smtpTransport(this.url)
    return this.url
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`
  }

  /** The next message to arrive. */
  next(): Promise<ReceivedMail> {
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  stop(): Promise<void> {
    this.transport?.close?.()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

/** A header's value, unfolded. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ')
  return head.split('\r\n').find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim()
}

/** The decoded text body (nodemailer writes quoted-printable for non-ASCII text). */
export function bodyOf(raw: string): string {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4)
  if (!/Content-Transfer-Encoding: quoted-printable/i.test(raw)) return body
  const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
  return Buffer.from(bytes, 'latin1').toString('utf8')
}

/** The subject, RFC 2047 encoded words decoded. */
export function subjectOf(raw: string): string {
  return (headerOf(raw, 'subject') ?? '').replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) => enc.toUpperCase() === 'B'
    ? Buffer.from(text, 'base64').toString('utf8')
    : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'))
}
