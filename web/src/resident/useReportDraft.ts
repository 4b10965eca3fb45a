import type { Category } from '@nabij/shared/domain/categories'
import type { Language } from '@nabij/shared/domain/languages'
import { reactive, ref, shallowRef } from 'vue'
import { api, ApiError, NetworkError, type CreateReportBody, type CreateReportReply, type LatLon } from '../api'
import { releasePhoto, type PickedPhoto } from '../composables/photos'

export const steps = ['category', 'location', 'details', 'identity', 'review'] as const
export type Step = (typeof steps)[number]

export interface Draft {
  category: Category | null
  location: LatLon | null
  /** How the point was given, to word the review ("your device's location", "the map"). */
  locationSource: 'map' | 'device' | null
  addressText: string
  zoneId: number | null
  description: string
  photos: PickedPhoto[]
  anonymous: boolean | null
  name: string
  email: string
  phone: string
  contactConsent: boolean
  /** One key per report: a retried send after a failure is recognised by the server and never filed twice. */
  idempotencyKey: string
}

/** `descriptionMaxLength` of shared/src/api/reports.ts (a value import would bundle the schema library; a test keeps them equal). */
export const descriptionMax = 5000

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  // randomUUID needs a secure context; a LAN address over http still gets a random key.
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function emptyDraft(): Draft {
  return {
    category: null,
    location: null,
    locationSource: null,
    addressText: '',
    zoneId: null,
    description: '',
    photos: [],
    anonymous: null,
    name: '',
    email: '',
    phone: '',
    contactConsent: false,
    idempotencyKey: newKey(),
  }
}

// Module state: the draft survives moving between steps and a failed send, for as long as the tab is open.
// It is never written to storage: a shared computer must not keep a half-written report.
const draft = reactive<Draft>(emptyDraft())
const sending = ref(false)
const sendError = shallowRef<ApiError | NetworkError>()
/** The receipt of the report just sent; shown once, then dropped. */
const receipt = shallowRef<CreateReportReply & { anonymous: boolean }>()

export type StepProblem = 'category' | 'location' | 'description' | 'identity' | 'name' | 'contact'

/** What is missing in a step, or null when it is complete. */
export function problemOf(step: Step, d: Draft = draft): StepProblem | null {
  switch (step) {
    case 'category':
      return d.category ? null : 'category'
    case 'location':
      return d.location || d.addressText.trim() || d.zoneId != null ? null : 'location'
    case 'details':
      return d.description.trim() && d.description.length <= descriptionMax ? null : 'description'
    case 'identity':
      if (d.anonymous === null) return 'identity'
      if (d.anonymous) return null
      if (!d.name.trim()) return 'name'
      return d.email.trim() || d.phone.trim() ? null : 'contact'
    case 'review':
      return null
  }
}

/** The first step that is not complete, or 'review' when all are. */
export function firstIncompleteStep(d: Draft = draft): Step {
  return steps.find((s) => problemOf(s, d) !== null) ?? 'review'
}

/**
 * The request body. A zone chosen from the list (without a point) routes the report to that zone and also travels as
 * words in `address`, next to what the resident typed, so the officers read where it is even when no map was used.
 */
export function toReportBody(d: Draft, language: Language, zoneLabel?: string): CreateReportBody {
  const named = d.anonymous === false
  const address = [d.addressText.trim(), !d.location && zoneLabel ? zoneLabel : ''].filter(Boolean).join(' — ')
  return {
    category: d.category!,
    description: d.description.trim(),
    ...(d.location ? { location: { lat: round(d.location.lat), lon: round(d.location.lon) } } : {}),
    ...(address ? { address: address.slice(0, 300) } : {}),
    ...(!d.location && d.zoneId != null ? { zoneId: d.zoneId } : {}),
    language,
    anonymous: !named,
    ...(named
      ? {
          contact: {
            name: d.name.trim(),
            ...(d.email.trim() ? { email: d.email.trim() } : {}),
            ...(d.phone.trim() ? { phone: d.phone.trim() } : {}),
            consent: d.contactConsent,
          },
        }
      : {}),
  }
}

/** About 1 m: more precision than that is only a fingerprint of the device. */
function round(value: number): number {
  return Math.round(value * 1e5) / 1e5
}

export function useReportDraft() {
  async function send(language: Language, zoneLabel?: string): Promise<boolean> {
    if (sending.value) return false
    sending.value = true
    sendError.value = undefined
    try {
      const reply = await api.reports.create(toReportBody(draft, language, zoneLabel), draft.photos.map((p) => p.file), draft.idempotencyKey)
      receipt.value = { ...reply, anonymous: draft.anonymous !== false }
      reset()
      return true
    } catch (err) {
      if (!(err instanceof ApiError || err instanceof NetworkError)) throw err
      // Everything typed stays; the next try sends the same idempotency key.
      sendError.value = err
      return false
    } finally {
      sending.value = false
    }
  }

  function reset() {
    draft.photos.forEach(releasePhoto)
    Object.assign(draft, emptyDraft())
    sendError.value = undefined
  }

  function forgetReceipt() {
    receipt.value = undefined
  }

  return { draft, sending, sendError, receipt, send, reset, forgetReceipt }
}
