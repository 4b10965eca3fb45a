import { XMLBuilder } from 'fast-xml-parser'

/**
 * XML output for the Atom feeds and Open311, through fast-xml-parser's builder (it escapes text and attributes).
 * Attributes are keys starting with `@_`, element text beside attributes is `#text`, arrays repeat the element.
 */
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true, processEntities: true })

/** Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/FFFF): dropped, not escaped. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function xmlSafe(text: string): string {
  return text.replace(forbidden, '')
}

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue }

/** null becomes an empty element, undefined drops it; every string is cleaned of forbidden characters. */
function clean(value: XmlValue): unknown {
  if (value === null) return ''
  if (typeof value === 'string') return xmlSafe(value)
  if (Array.isArray(value)) return value.map(clean)
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, clean(v)]))
  }
  return value
}

export function xmlDocument(root: Record<string, XmlValue>): string {
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, ...(clean(root) as object) }) as string
}
