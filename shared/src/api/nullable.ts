import { Type, type Static, type TSchema } from 'typebox'

/**
 * A request field that may be null. `Type.Union([X, Type.Null()])` becomes `anyOf`, where the server's ajv type
 * coercion turns null into 0 or "" (and 0 or "" into null); a type list is matched before any coercion.
 */
export function Nullable<T extends TSchema>(schema: T, options: { default?: null; description?: string } = {}) {
  const raw = schema as unknown as { type?: string; enum?: unknown[] }
  return Type.Unsafe<Static<T> | null>({
    ...schema,
    type: [raw.type ?? 'string', 'null'],
    ...(raw.enum ? { enum: [...raw.enum, null] } : {}),
    ...options,
  })
}
