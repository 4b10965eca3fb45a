import type { TranslateBody } from '@nabij/shared/api/updates'
import type { Config } from '../../config.js'
import { TranslationUnavailable } from '../../errors.js'

/**
 * Suggested translations from a LibreTranslate-compatible server (`POST <url>/translate` with `q`, `source`,
 * `target`, `format`), e.g. a self-hosted one: a resident's words never go to a third party unless the operator
 * says so. Without TRANSLATE_URL officers translate by hand; nothing else depends on it.
 */
export async function suggestTranslations(config: Config, body: TranslateBody): Promise<Record<string, string>> {
  if (!config.translateUrl) throw new TranslationUnavailable()
  const targets = body.to.filter((code) => code !== body.from)
  const pairs = await Promise.all(targets.map(async (target) => [target, await translateOne(config, body.text, body.from, target)] as const))
  return Object.fromEntries(pairs)
}

async function translateOne(config: Config, text: string, source: string, target: string): Promise<string> {
  let res: Response
  try {
    res = await fetch(`${config.translateUrl}/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q: text, source, target, format: 'text', ...(config.translateApiKey ? { api_key: config.translateApiKey } : {}) }),
      signal: AbortSignal.timeout(15_000),
    })
  } catch {
    throw new TranslationUnavailable()
  }
  const json = (await res.json().catch(() => null)) as { translatedText?: unknown } | null
  if (!res.ok || typeof json?.translatedText !== 'string' || json.translatedText.trim() === '') throw new TranslationUnavailable()
  return json.translatedText
}
