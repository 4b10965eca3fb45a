import { existsSync, readFileSync } from 'node:fs'
import { describe, it, expect } from 'vitest'
import { errorCodes } from '../../shared/src/api/errors.js'
import { categoryKeys } from '../../shared/src/domain/categories.js'
import { languageCodes } from '../../shared/src/domain/languages.js'
import { roles } from '../../shared/src/domain/roles.js'
import { closeReasons, statuses } from '../../shared/src/domain/statuses.js'

type Tree = { [key: string]: string | Tree }

const localesDir = new URL('../../shared/src/locales/', import.meta.url)

const fileOf = (code: string) => new URL(`${code}.json`, localesDir)

/** A missing file loads as empty, so the tests below name every key it should have had. */
function load(code: string): Tree {
  return existsSync(fileOf(code)) ? (JSON.parse(readFileSync(fileOf(code), 'utf8')) as Tree) : {}
}

/** Flattens a resource tree to `a.b.c` → value; a non-string, non-object leaf is kept as is so a test can flag it. */
function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of leaves(value, path)) out.set(k, v)
    } else {
      out.set(path, value)
    }
  }
  return out
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]!).sort()
}

const en = leaves(load('en'))
const locales = new Map(languageCodes.map((code) => [code, leaves(load(code))]))
const others = languageCodes.filter((code) => code !== 'en')

describe('the locale files', () => {
  it('exist for all ten interface languages', () => {
    expect(languageCodes).toHaveLength(10)
    const absent = languageCodes.filter((code) => !existsSync(fileOf(code)))
    expect(absent, `no locale file for: ${absent.join(', ')}`).toEqual([])
  })

  describe.each(others)('%s', (code) => {
    const locale = locales.get(code)!

    it('has every key of the English file', () => {
      const missing = [...en.keys()].filter((key) => !locale.has(key))
      expect(missing, `${code}.json lacks: ${missing.join(', ')}`).toEqual([])
    })

    it('has no key that the English file lacks', () => {
      const extra = [...locale.keys()].filter((key) => !en.has(key))
      expect(extra, `${code}.json has keys not in en.json: ${extra.join(', ')}`).toEqual([])
    })

    it('keeps every placeholder of the English text', () => {
      const broken = [...en]
        .filter(([key, text]) => typeof text === 'string' && locale.has(key))
        .filter(([key, text]) => {
          const translated = locale.get(key)
          const wanted = placeholders(text as string)
          const found = typeof translated === 'string' ? placeholders(translated) : []
          return wanted.some((name) => !found.includes(name))
        })
        .map(([key]) => key)
      expect(broken, `${code}.json drops placeholders in: ${broken.join(', ')}`).toEqual([])
    })

    it('differs from English on at least 90 % of its texts', () => {
      const shared = [...en.keys()].filter((key) => locale.has(key))
      const same = shared.filter((key) => locale.get(key) === en.get(key))
      expect(
        (shared.length - same.length) / shared.length,
        `${code}.json copies English in: ${same.join(', ')}`,
      ).toBeGreaterThanOrEqual(0.9)
    })
  })

  describe.each(languageCodes)('%s', (code) => {
    it('has no empty or non-text value', () => {
      const locale = locales.get(code)!
      const empty = [...locale].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key)
      expect(empty, `${code}.json has empty values in: ${empty.join(', ')}`).toEqual([])
    })
  })

  it('keep the app name Nabij untranslated', () => {
    for (const [code, locale] of locales) expect(locale.get('ui.app_name'), code).toBe('Nabij')
  })
})

describe('domain coverage', () => {
  /** Keys that some locale lacks or leaves without text, as `code: key`. */
  const missingIn = (keys: string[]) =>
    [...locales].flatMap(([code, locale]) =>
      keys.filter((key) => typeof locale.get(key) !== 'string').map((key) => `${code}: ${key}`),
    )

  it('gives every API error code a message in every language', () => {
    const missing = missingIn(errorCodes.map((code) => `errors.${code}`))
    expect(missing, `missing: ${missing.join(', ')}`).toEqual([])
  })

  it('gives every category a label and a help text in every language', () => {
    const missing = missingIn(categoryKeys.flatMap((key) => [`category.${key}.label`, `category.${key}.help`]))
    expect(missing, `missing: ${missing.join(', ')}`).toEqual([])
  })

  it('gives every status, close reason and role a label in every language', () => {
    const missing = missingIn([
      ...statuses.map((s) => `status.${s}`),
      ...closeReasons.map((r) => `close_reason.${r}`),
      ...roles.map((r) => `role.${r}`),
    ])
    expect(missing, `missing: ${missing.join(', ')}`).toEqual([])
  })
})
