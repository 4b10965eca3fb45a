import fp from 'fastify-plugin'
import type { TFunction } from 'i18next'
import { isLanguage, pickLanguage, type Language } from '@nabij/shared/domain/languages'
import { translator } from '../i18n.js'

declare module 'fastify' {
  interface FastifyRequest {
    language: Language
    t: TFunction
  }
}

/** The request's language: `?lang=` first, then Accept-Language, then Dutch. */
export const languagePlugin = fp(async (app) => {
  app.decorateRequest('language', 'nl')
  app.decorateRequest('t', null as unknown as TFunction)
  app.addHook('onRequest', async (req) => {
    const query = req.query as Record<string, unknown> | undefined
    const asked = query?.lang
    req.language = isLanguage(asked) ? asked : pickLanguage(req.headers['accept-language'])
    req.t = translator(req.language)
    // `lang` belongs to the whole app: a route whose query schema is closed and does not name it must not refuse it.
    const declared = (req.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined)?.properties
    if (query && 'lang' in query && !(declared && 'lang' in declared)) delete query.lang
  })
}, { name: 'language' })
