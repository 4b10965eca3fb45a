import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trigramSimilarity, trigrams } from '../../../server/src/modules/moderation/similarity.js'
import { rowsOf } from '../../../server/src/db/raw.js'
import { startApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => { t = await startApp() })
afterAll(() => t.close())

// Reports as residents write them, in the platform's languages, each beside a rewording, a shortening or noise.
const pairs: [string, string][] = [
  ['Elke avond wordt er gedeald bij het speelpleintje achter de school.', 'Elke avond wordt gedeald aan het speelpleintje achter de school!'],
  ['Deal devant l’école tous les soirs vers 22 heures', 'Deal devant l’école tous les soirs vers 23 heures, des voitures'],
  ['النفق تحت السكة مظلم تماما منذ أسبوع ولا أشعر بالأمان عند المرور.', 'النفق تحت السكة مظلم منذ أسبوع ولا أشعر بالأمان.'],
  ['Autos rasen morgens durch die Schulstraße, obwohl dort Tempo 30 gilt.', 'AUTOS RASEN durch die Schulstraße!! Tempo 30'],
  ['Z piwnicy w naszym bloku ukradziono dwa rowery, zamek był wyłamany.', 'Ukradziono rowery z piwnicy, zamek wyłamany'],
  ['Gece geç saatlere kadar parkta toplanan bir grup', 'Gece geç saatlere kadar parkta grup'],
  ['Нічне освітлення в парку не працює вже тиждень', 'Освітлення в парку не працює'],
  ['La farola de la esquina lleva dos semanas apagada', 'Una farola apagada en la esquina'],
  ['Ça coûte cher', 'ca coute cher'],
  ['snake_case and a-b c1 x', 'snake case and ab c 1'],
  ['Someone smashed the bus shelter', 'Een auto met draaiende motor staat al uren voor de bakker.'],
  ['!!!', 'x'],
  ['', 'anything'],
]

describe('trigramSimilarity', () => {
  it('equals pg_trgm similarity() on multilingual reports, so flagging means the same threshold on both engines', async () => {
    const rows = await rowsOf<{ i: number; similarity: number }>(t.db, sql`
      select i, similarity(a, b)::float8 as similarity
      from (values ${sql.join(pairs.map(([a, b], i) => sql`(${i}::int, ${a}::text, ${b}::text)`), sql`, `)}) as x(i, a, b)
      order by i`)
    expect(rows).toHaveLength(pairs.length)
    for (const [index, [a, b]] of pairs.entries()) {
      const ours = trigramSimilarity(trigrams(a), trigrams(b))
      expect(ours, `${a} ~ ${b}`).toBeCloseTo(Number(rows[index]!.similarity), 5)
    }
    // The pairs span both sides of the near-duplicate threshold (0.35), so the check above means something.
    const values = pairs.map(([a, b]) => trigramSimilarity(trigrams(a), trigrams(b)))
    expect(values.some((v) => v > 0.6)).toBe(true)
    expect(values.some((v) => v > 0 && v < 0.35)).toBe(true)
  })
})
