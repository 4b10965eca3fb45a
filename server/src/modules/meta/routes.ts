import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MetaReply } from '@nabij/shared/api/meta'
import { languages } from '@nabij/shared/domain/languages'
import type { ModuleOptions } from '../../app.js'

/** Data licences of the bundled boundaries (Statbel, UrbIS, OSM); the tile server's own credit is added when set. */
const boundaryAttribution = 'Boundaries: Statbel; Brussels UrbIS®© – Distribution & Copyright Paradigm; © OpenStreetMap contributors (ODbL)'

export const metaRoutes: FastifyPluginAsyncTypebox<ModuleOptions> = async (app, { config }) => {
  const reply: MetaReply = {
    mapTileUrl: config.mapTileUrl ?? null,
    attribution: config.mapTileUrl ? `${boundaryAttribution}; map tiles: ${hostOf(config.mapTileUrl)}` : boundaryAttribution,
    languages: languages.map((l) => ({ code: l.code, name: l.name, dir: l.dir })),
  }
  app.get('/meta', {
    schema: { tags: ['public'], summary: 'Installation facts for the web app: map tiles, attribution, languages', response: { 200: MetaReply } },
  }, async (_req, res) => res.header('cache-control', 'public, max-age=300').send(reply))
}

function hostOf(template: string): string {
  try {
    return new URL(template).host
  } catch {
    return template
  }
}
