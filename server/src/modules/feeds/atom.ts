import { and, desc, eq } from 'drizzle-orm'
import type { Language } from '@nabij/shared/domain/languages'
import type { Config } from '../../config.js'
import type { Db } from '../../db/connect.js'
import { events, reports, zones } from '../../db/schema.js'
import { ZoneNotFound } from '../../errors.js'
import { translator } from '../../i18n.js'
import { isPublicReport } from '../public/service.js'
import { toHour } from '../reports/followup.js'
import { listPosts } from '../updates/posts.js'
import { xmlDocument, type XmlValue } from './xml.js'

export const feedSize = 50

interface Entry { id: string; title: string; updated: string; published?: string; author?: string | null; content: string; link: string }

/** Permanent entry ids (RFC 4151 tag URIs): they survive a change of address scheme or path. */
const tag = (config: Config, what: string) => `tag:${new URL(config.publicUrl).hostname},2026:nabij:${what}`

/**
 * The Atom feed of a zone (RFC 4287): the officers' published neighbourhood posts and the status changes of the
 * zone's public reports. It carries only what the public projection shows: published reports, public times rounded
 * to the hour, no text but labels.
 */
export async function zoneAtomFeed(db: Db, config: Config, zoneId: number, language: Language): Promise<string> {
  const [zone] = await db.select().from(zones).where(eq(zones.id, zoneId))
  if (!zone) throw new ZoneNotFound(String(zoneId))
  const t = translator(language)
  const zoneName = zone.names[language] ?? zone.name
  const page = `${config.publicUrl}/neighbourhoods/${zoneId}`

  const [posts, changes] = await Promise.all([
    listPosts(db, zoneId, { limit: feedSize }, false),
    db.select({ id: events.id, at: events.createdAt, payload: events.payload, reference: reports.reference, category: reports.category })
      .from(events).innerJoin(reports, eq(reports.id, events.reportId))
      .where(and(eq(events.type, 'report.status_changed'), eq(reports.zoneId, zoneId), isPublicReport()))
      .orderBy(desc(events.id)).limit(feedSize),
  ])

  const entries: Entry[] = [
    ...posts.items.map((p) => ({
      id: tag(config, `post:${p.id}`), title: p.title, updated: p.updatedAt, published: p.publishedAt, author: p.author, content: p.body, link: `${page}#post-${p.id}`,
    })),
    ...changes.map((c) => {
      const to = String(c.payload.to ?? '')
      const reason = typeof c.payload.closeReason === 'string' ? c.payload.closeReason : null
      return {
        id: tag(config, `status:${c.id}`),
        title: t('feed.status_entry', { reference: c.reference, status: t(`status.${to}`) }),
        updated: toHour(c.at),
        content: [t(`category.${c.category}.label`), t(`status.${to}`), reason ? t(`close_reason.${reason}`) : null].filter(Boolean).join(' — '),
        link: `${page}#report-${c.reference}`,
      }
    }),
  ].sort((a, b) => b.updated.localeCompare(a.updated)).slice(0, feedSize)

  const feed: Record<string, XmlValue> = {
    '@_xmlns': 'http://www.w3.org/2005/Atom',
    '@_xml:lang': language,
    id: tag(config, `zone:${zoneId}`),
    title: t('feed.title', { zone: zoneName }),
    subtitle: t('feed.subtitle'),
    updated: entries[0]?.updated ?? zone.updatedAt.toISOString(),
    link: [
      { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': `${config.publicUrl}/api/public/zones/${zoneId}/feed.atom?lang=${language}` },
      { '@_rel': 'alternate', '@_type': 'text/html', '@_href': page },
    ],
    author: { name: t('ui.app_name') },
    generator: 'Nabij',
    entry: entries.map((e) => ({
      id: e.id,
      title: { '@_type': 'text', '#text': e.title },
      updated: e.updated,
      published: e.published,
      author: e.author ? { name: e.author } : undefined,
      link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': e.link },
      content: { '@_type': 'text', '#text': e.content },
    })),
  }
  return xmlDocument({ feed })
}
