import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ErrorReply } from '@nabij/shared/api/errors'
import { SubscribeBody, SubscribeReply, SubscriptionActionReply, SubscriptionTokenQuery } from '@nabij/shared/api/feeds'
import { ZoneIdParams } from '@nabij/shared/api/stats'
import { directionOf } from '@nabij/shared/domain/languages'
import type { ModuleOptions } from '../../app.js'
import { zoneAtomFeed } from './atom.js'
import { confirmSubscription, subscribe, unsubscribe } from './subscriptions.js'

const tags = ['public']
const Html = Type.Unsafe<string>({ type: 'string', description: 'text/html' })
const formType = 'application/x-www-form-urlencoded'
// Any small form body: the one-click unsubscribe sends "List-Unsubscribe=One-Click", a browser form sends nothing else.
const FormBody = Type.Optional(Type.Record(Type.String(), Type.String()))

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A tiny self-contained page: the link in a mail opens it, and only its button (a POST) changes anything. */
function page(req: FastifyRequest, title: string, text: string, button?: { label: string; action: string }): string {
  const form = button ? `<form method="post" action="${escape(button.action)}"><button type="submit">${escape(button.label)}</button></form>` : ''
  return `<!doctype html><html lang="${req.language}" dir="${directionOf(req.language)}"><head><meta charset="utf-8">`
    + `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)}</title></head>`
    + `<body><main><h1>${escape(title)}</h1><p>${escape(text)}</p>${form}</main></body></html>`
}

const html = (reply: FastifyReply, body: string) => reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body)

/** Atom feeds and e-mail alerts of a zone's neighbourhood updates. */
export const feedRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { db, config }) => {
  // Mail clients post the one-click unsubscribe as a form; only this module accepts forms.
  app.addContentTypeParser(formType, { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))))
  })

  app.get('/public/zones/:id/feed.atom', {
    schema: {
      tags,
      summary: "Atom feed of a zone's neighbourhood posts and public report status changes",
      params: ZoneIdParams,
      produces: ['application/atom+xml'],
      response: { 200: Type.Unsafe<string>({ type: 'string', description: 'application/atom+xml' }), 404: ErrorReply },
    },
  }, async (req, reply) => reply
    .header('content-type', 'application/atom+xml; charset=utf-8')
    .header('cache-control', 'public, max-age=300')
    .send(await zoneAtomFeed(db, config, req.params.id, req.language)))

  app.post('/public/zones/:id/subscriptions', {
    schema: {
      tags,
      summary: "Subscribe an e-mail address to a zone's neighbourhood posts; a confirmation link is mailed first",
      params: ZoneIdParams,
      body: SubscribeBody,
      response: { 202: SubscribeReply, 400: ErrorReply, 404: ErrorReply },
    },
  }, async (req, reply) => reply.code(202).send(await subscribe(db, req.params.id, req.body.email, req.body.language ?? req.language)))

  app.get('/public/subscriptions/confirm', {
    schema: { tags, summary: 'The page a confirmation link opens; its button confirms', querystring: SubscriptionTokenQuery, produces: ['text/html'], response: { 200: Html } },
  }, async (req, reply) => html(reply, page(req, req.t('alert.confirm_page_title'), req.t('alert.confirm_page_text'), {
    label: req.t('alert.confirm_button'), action: `?token=${encodeURIComponent(req.query.token)}&lang=${req.language}`,
  })))

  app.post('/public/subscriptions/confirm', {
    schema: { tags, summary: 'Confirm a subscription (double opt-in)', querystring: SubscriptionTokenQuery, body: FormBody, response: { 200: SubscriptionActionReply, 400: ErrorReply } },
  }, async (req, reply) => {
    const result = await confirmSubscription(db, config, req.query.token)
    if (req.headers['content-type']?.startsWith(formType)) return html(reply, page(req, req.t('alert.confirm_page_title'), req.t('alert.confirmed')))
    return result
  })

  app.get('/public/subscriptions/unsubscribe', {
    schema: { tags, summary: 'The page an unsubscribe link opens; its button unsubscribes', querystring: SubscriptionTokenQuery, produces: ['text/html'], response: { 200: Html } },
  }, async (req, reply) => html(reply, page(req, req.t('alert.unsubscribe_page_title'), req.t('alert.unsubscribe_page_text'), {
    label: req.t('alert.unsubscribe_button'), action: `?token=${encodeURIComponent(req.query.token)}&lang=${req.language}`,
  })))

  app.post('/public/subscriptions/unsubscribe', {
    schema: {
      tags,
      summary: 'Unsubscribe and delete the address (RFC 8058 one-click: body List-Unsubscribe=One-Click)',
      querystring: SubscriptionTokenQuery,
      body: FormBody,
      response: { 200: SubscriptionActionReply, 400: ErrorReply },
    },
  }, async (req, reply) => {
    const result = await unsubscribe(db, config, req.query.token)
    if (req.headers['content-type']?.startsWith(formType)) return html(reply, page(req, req.t('alert.unsubscribe_page_title'), req.t('alert.unsubscribed')))
    return result
  })
}
