import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { count, eq } from 'drizzle-orm'
import type { Category } from '@nabij/shared/domain/categories'
import type { CloseReason, Status } from '@nabij/shared/domain/statuses'
import type { Config } from '../config.js'
import type { Db } from '../db/connect.js'
import { reports, staffUsers } from '../db/schema.js'
import { decideReport } from '../modules/moderation/service.js'
import { photoStorage } from '../modules/photos/storage-factory.js'
import { fileReport } from '../modules/reports/service.js'
import { createStaff } from '../modules/staff/service.js'
import type { StaffPrincipal } from '../modules/staff/sessions.js'
import { postUpdate } from '../modules/updates/service.js'
import { changeStatus } from '../modules/workflow/service.js'
import { assignOfficer } from '../modules/zones/officers.js'
import { importZones } from '../modules/zones/service.js'
import { demoTexts } from './texts.js'

export interface DemoLogin { role: string; email: string; password: string; zone?: string }

const geo = (file: string) => JSON.parse(readFileSync(new URL(`../../data/geo/${file}`, import.meta.url), 'utf8'))

/** Real places (lat, lon) the demo reports are scattered around, with ~150 m of jitter. */
const places = [
  { lat: 50.8275, lon: 4.3721 }, // Place Flagey, Ixelles
  { lat: 50.8337, lon: 4.3671 }, // Place Fernand Cocq
  { lat: 50.8365, lon: 4.3650 }, // Porte de Namur / Matongé
  { lat: 50.8188, lon: 4.3797 }, // Cimetière d'Ixelles
  { lat: 50.8467, lon: 4.3525 }, // Grand-Place
  { lat: 50.8483, lon: 4.3497 }, // Bourse
  { lat: 50.8553, lon: 4.3417 }, // Porte de Flandre
  { lat: 50.8936, lon: 4.3412 }, // Atomium
  { lat: 50.8814, lon: 4.7157 }, // Leuven station
  { lat: 50.8790, lon: 4.7009 }, // Grote Markt Leuven
  { lat: 50.8851, lon: 4.7337 }, // Kessel-Lo
  { lat: 50.8630, lon: 4.6833 }, // Heverlee, Arenberg
]

/** A small deterministic generator, so every fresh demo looks the same. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
}

/**
 * Seeds an empty database with the demo: police zone 5339 (Bruxelles-Capitale/Ixelles) split into its Monitoring
 * des Quartiers neighbourhoods, police zone 5388 (Leuven) with its deelgemeenten, an officer per neighbourhood, the
 * other roles and ~50 reports in several languages, categories and states. Returns null when staff already exist.
 */
export async function seedDemo(db: Db, config: Config): Promise<{ logins: DemoLogin[] } | null> {
  const [existing] = await db.select({ n: count() }).from(staffUsers)
  if (existing!.n > 0) return null
  // One transaction (the services' own become savepoints): a crash mid-seed leaves an empty database, seeded again
  // on the next start, never a half demo.
  return db.transaction((tx) => seedInto(tx, config))
}

async function seedInto(db: Db, config: Config): Promise<{ logins: DemoLogin[] }> {
  const quartiers = geo('brussels-quartiers.geojson')
  quartiers.features = quartiers.features.filter((f: { properties: { police_zones?: string[] } }) => f.properties.police_zones?.includes('5339'))
  const brussels = await importZones(db, quartiers, { policeZoneId: '5339', policeZoneName: 'Bruxelles-Capitale/Ixelles (Polbru)', idProperty: 'id', nameProperty: 'name' })
  const leuven = await importZones(db, geo('odbl/leuven-deelgemeenten.geojson'), { policeZoneId: '5388', policeZoneName: 'Leuven', idProperty: 'id', nameProperty: 'name', promisedResponseHours: 48 })

  const password = () => randomBytes(9).toString('base64url')
  const officerPassword = password()
  const logins: DemoLogin[] = []
  const officers = new Map<number, StaffPrincipal>()
  const firstNames = ['Sarah', 'Karim', 'Lotte', 'Mehmet', 'Julie', 'Yassine', 'Anke', 'Pieter', 'Nadia', 'Tom', 'Fatima', 'Bram']
  const zoneList = [...brussels.zones, ...leuven.zones]
  for (const [index, zone] of zoneList.entries()) {
    const firstName = firstNames[index % firstNames.length]!
    const email = `officer.${zone.externalId.toLowerCase()}@demo.nabij.be`
    const staff = await createStaff(db, { email, displayName: `${firstName} (${zone.name})`, role: 'officer', password: officerPassword, language: index % 3 === 0 ? 'fr' : 'nl', publicFirstName: firstName, showOnZonePage: index % 2 === 0 })
    await assignOfficer(db, null, zone.id, { staffId: staff.id, primary: true })
    officers.set(zone.id, { id: staff.id, role: 'officer', displayName: staff.displayName, language: staff.language, sessionId: 'demo' })
    if (zone.externalId === '37' || zone.externalId === '24062A') logins.push({ role: 'officer', email, password: officerPassword, zone: zone.name })
  }
  const principals: Partial<Record<'admin' | 'moderator' | 'partner' | 'oversight', StaffPrincipal>> = {}
  for (const role of ['admin', 'moderator', 'partner', 'oversight'] as const) {
    const email = `${role}@demo.nabij.be`
    const pass = password()
    const staff = await createStaff(db, { email, displayName: `Demo ${role}`, role, password: pass, language: 'nl' })
    principals[role] = { id: staff.id, role, displayName: staff.displayName, language: 'nl', sessionId: 'demo' }
    logins.push({ role, email, password: pass })
  }
  logins.push({ role: 'officer', email: `officer.<neighbourhood id>@demo.nabij.be (${zoneList.length} officers)`, password: officerPassword })

  await seedReports(db, config, officers, principals)
  return { logins }
}

type Plan = { status: Status; closeReason?: CloseReason; publish?: 'publish_original' | 'publish_summary' }
const plans: Plan[] = [
  { status: 'new' },
  { status: 'acknowledged', publish: 'publish_original' },
  { status: 'in_progress', publish: 'publish_summary' },
  { status: 'closed', closeReason: 'resolved', publish: 'publish_original' },
  { status: 'waiting_for_reporter' },
  { status: 'closed', closeReason: 'no_action_possible', publish: 'publish_summary' },
  { status: 'acknowledged' },
  { status: 'closed', closeReason: 'referred', publish: 'publish_original' },
  { status: 'in_progress', publish: 'publish_original' },
  { status: 'new' },
]

async function seedReports(db: Db, config: Config, officers: Map<number, StaffPrincipal>, principals: Partial<Record<string, StaffPrincipal>>): Promise<void> {
  const storage = photoStorage(config)
  const rand = random(5339)
  const now = Date.now()
  for (const [index, text] of demoTexts.entries()) {
    const place = places[index % places.length]!
    const location = { lat: place.lat + (rand() - 0.5) * 0.003, lon: place.lon + (rand() - 0.5) * 0.004 }
    const filedAt = new Date(now - (demoTexts.length - index) * 26 * 3_600_000 - Math.floor(rand() * 3_600_000))
    const named = index % 4 === 1
    const reply = await fileReport(db, {
      category: text.category as Category,
      description: text.description,
      language: text.language,
      location,
      anonymous: !named,
      ...(named ? { contact: { name: `Demo resident ${index}`, email: `resident${index}@demo.nabij.be`, consent: true } } : {}),
    }, [], { config, storage, now: filedAt })

    const [row] = await db.select().from(reports).where(eq(reports.reference, reply.reference))
    const plan = plans[index % plans.length]!
    const actor = row!.queue === 'zone' && row!.zoneId ? officers.get(row!.zoneId) : row!.queue === 'oversight' ? principals.oversight : row!.queue === 'municipality' ? principals.partner : principals.admin
    if (!actor) continue
    const at = (hours: number) => new Date(filedAt.getTime() + hours * 3_600_000)
    if (plan.status !== 'new') {
      await changeStatus(db, actor, reply.reference, { status: 'acknowledged', answer: { cannedKey: 'received' } }, at(3 + (index % 20)))
      if (plan.status === 'in_progress' || plan.status === 'waiting_for_reporter' || plan.status === 'closed') {
        await postUpdate(db, actor, reply.reference, { cannedKey: text.category === 'unsafe_place' || text.category === 'drugs' ? 'patrols_increased' : 'investigating', visibility: 'public' }, at(30))
        await changeStatus(db, actor, reply.reference, { status: 'in_progress' }, at(31))
      }
      if (plan.status === 'waiting_for_reporter') {
        await postUpdate(db, actor, reply.reference, { cannedKey: 'more_information', visibility: 'reporter', question: true, waitForReporter: true }, at(32))
      }
      if (plan.status === 'closed') {
        await changeStatus(db, actor, reply.reference, { status: 'closed', closeReason: plan.closeReason!, answer: { cannedKey: plan.closeReason === 'referred' ? 'referred_partner' : 'thanks' } }, at(60))
      }
    }
    if (plan.publish && principals.moderator) {
      await decideReport(db, principals.moderator, reply.reference, plan.publish === 'publish_summary'
        ? { decision: 'publish_summary', summary: summaryFor(text.category as Category), reason: 'demo: personal details removed' }
        : { decision: 'publish_original', reason: 'demo: nothing personal in the text' })
    }
  }
}

function summaryFor(category: Category): string {
  const summaries: Partial<Record<Category, string>> = {
    drugs: 'Drug dealing reported near a playground in the evening.',
    nuisance: 'Night-time noise reported in a residential street.',
    unsafe_place: 'A dark passage where residents do not feel safe in the evening.',
    vandalism: 'Repeated damage to street furniture.',
    traffic: 'Speeding and dangerous parking near a school.',
    hate_incident: 'A resident was insulted because of her religion.',
  }
  return summaries[category] ?? 'A resident reported a problem in the neighbourhood.'
}
