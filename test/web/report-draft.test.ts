import { describe, expect, it } from 'vitest'
import { descriptionMaxLength, maxPhotosPerSubmission } from '../../shared/src/api/reports.js'
import { maxPhotos } from '../../web/src/composables/photos'
import { descriptionMax, firstIncompleteStep, problemOf, toReportBody, type Draft } from '../../web/src/resident/useReportDraft'

const draft = (overrides: Partial<Draft> = {}): Draft => ({
  category: 'drugs',
  location: null,
  locationSource: null,
  addressText: '',
  zoneId: null,
  description: 'Dealing by the playground after 22:00',
  photos: [],
  anonymous: true,
  name: '',
  email: '',
  phone: '',
  contactConsent: false,
  idempotencyKey: 'k',
  ...overrides,
})

describe('a report draft', () => {
  it('needs a place given in any one way: a point, typed words or a chosen zone', () => {
    expect(problemOf('location', draft())).toBe('location')
    expect(problemOf('location', draft({ location: { lat: 50.8, lon: 4.3 } }))).toBeNull()
    expect(problemOf('location', draft({ addressText: '  Place Flagey ' }))).toBeNull()
    expect(problemOf('location', draft({ zoneId: 3 }))).toBeNull()
    expect(problemOf('location', draft({ addressText: '   ' }))).toBe('location')
  })

  it('asks a named reporter for a name and an email address or a phone number', () => {
    expect(problemOf('identity', draft({ anonymous: null }))).toBe('identity')
    expect(problemOf('identity', draft({ anonymous: false }))).toBe('name')
    expect(problemOf('identity', draft({ anonymous: false, name: 'An' }))).toBe('contact')
    expect(problemOf('identity', draft({ anonymous: false, name: 'An', phone: '0470 12 34 56' }))).toBeNull()
  })

  it('opens at the first step that is not complete', () => {
    expect(firstIncompleteStep(draft({ category: null }))).toBe('category')
    expect(firstIncompleteStep(draft())).toBe('location')
    expect(firstIncompleteStep(draft({ addressText: 'x', description: ' ' }))).toBe('details')
    expect(firstIncompleteStep(draft({ addressText: 'x' }))).toBe('review')
  })

  it('becomes an anonymous request body with no contact fields at all, even when some were typed', () => {
    const body = toReportBody(draft({ addressText: 'Rue Longue Vie', anonymous: true, name: 'An', email: 'an@example.be' }), 'nl')
    expect(body).toEqual({ category: 'drugs', description: 'Dealing by the playground after 22:00', address: 'Rue Longue Vie', language: 'nl', anonymous: true })
  })

  it('rounds a point to about a metre, so no device-precise fingerprint is sent', () => {
    const body = toReportBody(draft({ location: { lat: 50.82751234567, lon: 4.37213456789 } }), 'fr')
    expect(body.location).toEqual({ lat: 50.82751, lon: 4.37213 })
  })

  it('carries a zone chosen without a point as words next to the typed address', () => {
    expect(toReportBody(draft({ zoneId: 4, addressText: 'Rue Longue Vie 12' }), 'en', 'Matonge').address).toBe('Rue Longue Vie 12 — Matonge')
    expect(toReportBody(draft({ zoneId: 4 }), 'en', 'Matonge').address).toBe('Matonge')
    // With a point the zone follows from the point; the label is not repeated.
    expect(toReportBody(draft({ zoneId: 4, location: { lat: 50.8, lon: 4.3 } }), 'en', 'Matonge').address).toBeUndefined()
  })

  it('becomes a named request body with the contact details given', () => {
    const body = toReportBody(draft({ anonymous: false, name: ' An Peeters ', email: 'an@example.be', contactConsent: true, addressText: 'x' }), 'nl')
    expect(body.anonymous).toBe(false)
    expect(body.contact).toEqual({ name: 'An Peeters', email: 'an@example.be', consent: true })
  })

  it('uses the same limits as the server', () => {
    expect(descriptionMax).toBe(descriptionMaxLength)
    expect(maxPhotos).toBe(maxPhotosPerSubmission)
  })
})
