import fc from 'fast-check'

/** The subset of OpenAPI 3.0 schema keywords our routes publish at /api/docs/json. */
export interface Schema {
  type?: string | string[]
  enum?: unknown[]
  anyOf?: Schema[]
  nullable?: boolean
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  items?: Schema
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  format?: string
  pattern?: string
  default?: unknown
}

/** Real values of the seeded world, so generated requests reach past "not found" into the handlers. */
export interface Pools {
  strings: string[]
  uuids: string[]
  /** Values for fields and parameters of a given name (`ref`, `code`, `api_key`…), drawn most of the time. */
  byName: Record<string, string[]>
}

const int32 = 2 ** 31

/** Strings that have broken parsers, databases and templates before. */
const nastyStrings = fc.constantFrom(
  '', ' ', '\u0000', 'a\u0000b', 'null', 'undefined', 'NaN', '-1', '0', '1e999', '9'.repeat(40), '0x7fffffff',
  "'; drop table reports; --", '../../etc/passwd', '%00', '%', '\u202eevil', '\ufeffbom', '𝕹𝖆𝖇𝖎𝖏', 'ﷺ', '👩‍👩‍👧‍👦',
  '\ud800', '\udfff\ud800', 'a\r\nb', '<script>alert(1)</script>', '{{7*7}}', '${x}', '__proto__', 'constructor',
  'NB-2026-000001', '2026-02-30', '2026-13', '9999-12-31T23:59:59Z', 'Z\u0301\u0327\u0328', 'ا'.repeat(300),
)

/** Long runs of one character: ASCII, two-byte, four-byte, RTL and NUL. */
const hugeString = fc.tuple(fc.constantFrom('a', 'é', '𝔘', '👍🏽', 'ش', '\u0000', ' '), fc.integer({ min: 1_000, max: 40_000 }))
  .map(([c, n]) => c.repeat(n))

const unicodeString = (minLength = 0, maxLength = 40) => fc.oneof(
  fc.string({ unit: 'grapheme', minLength, maxLength }),
  fc.string({ unit: 'binary', minLength, maxLength }),
  fc.string({ unit: 'grapheme-ascii', minLength, maxLength }),
)

export const garbageString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyStrings },
  { weight: 4, arbitrary: unicodeString() },
  { weight: 1, arbitrary: hugeString },
)

/** Anything a JSON body can hold, with a bias to the shapes that break code: huge numbers, wrong types, odd text. */
export const garbageValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: garbageString },
  { weight: 2, arbitrary: fc.constantFrom(int32, int32 - 1, -int32 - 1, 2 ** 53, -(2 ** 53), 1e308, -1e308, 1.5, -0, 0, -1) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(garbageString, { maxLength: 4 }) },
)

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type
  return schema.type ? [schema.type] : []
}

function stringArbitrary(schema: Schema, pools: Pools, name?: string): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0
  const max = schema.maxLength ?? 300
  const fits = (s: string) => [...s].length >= min && [...s].length <= max
  const pooled = pools.strings.filter(fits)
  const byFormat: Record<string, fc.Arbitrary<string>> = {
    uuid: pools.uuids.length > 0 ? fc.oneof(fc.constantFrom(...pools.uuids), fc.uuid()) : fc.uuid(),
    'date-time': fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    date: fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    email: fc.emailAddress().filter(fits),
  }
  const shaped = schema.format && byFormat[schema.format]
    ? byFormat[schema.format]!
    : schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)).filter(fits) : null
  const free = fc.oneof(
    unicodeString(min, Math.min(max, 60)),
    // The longest text the schema allows, in characters that take the most bytes.
    fc.constantFrom('𝔘', 'é', 'a', '\u0001').map((c) => c.repeat(Math.max(min, max))),
  )
  const named = (name ? pools.byName[name] ?? [] : []).filter(fits)
  const options: fc.WeightedArbitrary<string>[] = [{ weight: shaped ? 2 : 4, arbitrary: free }]
  if (shaped) options.push({ weight: 30, arbitrary: shaped })
  if (pooled.length > 0) options.push({ weight: shaped ? 1 : 4, arbitrary: fc.constantFrom(...pooled) })
  if (named.length > 0) options.push({ weight: 24, arbitrary: fc.constantFrom(...named) })
  return fc.oneof(...options)
}

function numberArbitrary(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 1e-9) : -(2 ** 53) + 1)
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 1e-9) : 2 ** 53 - 1)
  const edges = [low, high, 0, 1, 2, 3, int32 - 1, int32, 2 ** 53 - 1].filter((n) => n >= low && n <= high)
  const arbitrary = integer
    ? fc.oneof(
      // Small ids name the seeded rows.
      { weight: 6, arbitrary: fc.integer({ min: Math.max(low, 0), max: Math.max(Math.min(high, 6), Math.max(low, 0)) }) },
      { weight: 2, arbitrary: fc.integer({ min: Math.max(low, Number.MIN_SAFE_INTEGER), max: Math.min(high, Number.MAX_SAFE_INTEGER) }) },
    )
    : fc.double({ min: low, max: high, noNaN: true, noDefaultInfinity: true })
  return fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: fc.constantFrom(...edges) })
}

/** Values the schema accepts (mostly: nested values still stray now and then). */
export function validFor(schema: Schema, pools: Pools, depth = 0, name?: string): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null)
  if (schema.enum) return fc.constantFrom(...schema.enum)
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => validFor(s, pools, depth + 1, name)))
  const types = typesOf(schema).filter((t) => t !== 'null')
  const nullable = schema.nullable || typesOf(schema).includes('null')
  const choices = types.map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string': return stringArbitrary(schema, pools, name)
      case 'integer': return numberArbitrary(schema, true)
      case 'number': return numberArbitrary(schema, false)
      case 'boolean': return fc.boolean()
      case 'array': {
        const item = schema.items ? valueFor(schema.items, pools, depth + 1) : garbageValue
        const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 6, 12) }
        return schema.uniqueItems ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(item, constraints)
      }
      case 'object': return objectArbitrary(schema, pools, depth)
      default: return garbageValue
    }
  })
  if (choices.length === 0) return garbageValue
  if (nullable) choices.push(fc.constant(null))
  return fc.oneof(...choices)
}

function objectArbitrary(schema: Schema, pools: Pools, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {}
  const model = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, valueFor(s, pools, depth + 1, key)]))
  const record = fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) }) as fc.Arbitrary<Record<string, unknown>>
  const extra = fc.dictionary(fc.oneof(garbageString, fc.constantFrom('__proto__', 'constructor', 'id')), garbageValue, { maxKeys: 2 })
  return fc.oneof(
    { weight: 16, arbitrary: record },
    // A required field missing, or a field nobody declared.
    { weight: 1, arbitrary: fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r })) },
    { weight: 1, arbitrary: fc.tuple(record, fc.constantFrom(...(schema.required?.length ? schema.required : ['x']))).map(([r, k]) => { const { [k]: _gone, ...rest } = r; return rest }) },
  )
}

/** Mostly a value the schema accepts, sometimes garbage: so most requests reach the handler and some never should. */
export function valueFor(schema: Schema, pools: Pools, depth = 0, name?: string): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 20, arbitrary: validFor(schema, pools, depth, name) }, { weight: 1, arbitrary: garbageValue })
}
