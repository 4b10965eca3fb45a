import { Type, type Static } from 'typebox'

/** What the web app needs to know about this installation before drawing a map or a language picker. */
export const MetaReply = Type.Object({
  mapTileUrl: Type.Union([Type.String(), Type.Null()], {
    description: 'Raster tile URL template ({z}/{x}/{y}); null → the maps draw zone outlines only, with no tile server',
    examples: ['https://tiles.example.org/{z}/{x}/{y}.png'],
  }),
  attribution: Type.String({ description: 'Attribution for the boundaries and tiles, shown under every map' }),
  languages: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), dir: Type.Union([Type.Literal('ltr'), Type.Literal('rtl')]) }),
    { description: 'Interface languages, in the order of the language picker' },
  ),
})
export type MetaReply = Static<typeof MetaReply>
