/**
 * One live connection per staff page load: the `queue` channel carries every event of every report the signed-in
 * staff member may see, so the inbox, the report page and the navigation badge all listen to the same socket.
 */
import type { EventMessage } from '@nabij/shared/api/live'
import { ref } from 'vue'
import { connectLive, type LiveStatus } from '../realtime/live'
import { readPreference } from './preferences'

export interface FeedListener {
  onEvent?: (event: EventMessage) => void
  /** Events may have been missed: reload over HTTP. */
  onResync?: () => void
}

export const feedStatus = ref<LiveStatus>('closed')
/** References filed since the staff member last looked at the inbox: the badge and the "new" marks. */
export const freshReferences = ref<string[]>([])

const listeners = new Set<FeedListener>()
let stop: (() => void) | undefined

export function listen(listener: FeedListener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function startFeed(onUnauthorized: () => void): void {
  if (stop) return
  // Browsers keep sound locked until the person does something on the page; the first key or tap unlocks it.
  if (readPreference('sound')) {
    for (const type of ['pointerdown', 'keydown'] as const) globalThis.addEventListener?.(type, unlockSound, { once: true })
  }
  stop = connectLive({
    subscription: { channel: 'queue' },
    onEvent(event) {
      if (event.eventType === 'report.filed' && event.reference && !freshReferences.value.includes(event.reference)) {
        freshReferences.value = [...freshReferences.value, event.reference]
        if (readPreference('sound')) chime()
      }
      for (const listener of listeners) listener.onEvent?.(event)
    },
    onResync() {
      for (const listener of listeners) listener.onResync?.()
    },
    onStatus(status) {
      feedStatus.value = status
    },
    onUnauthorized,
  })
}

export function stopFeed(): void {
  stop?.()
  stop = undefined
  freshReferences.value = []
}

export function markSeen(reference?: string): void {
  freshReferences.value = reference ? freshReferences.value.filter((r) => r !== reference) : []
}

let audio: AudioContext | undefined

/** Browsers allow sound only after a user gesture: the toggle that turns sound on calls this first. */
export function unlockSound(): void {
  if (typeof AudioContext === 'undefined') return
  audio ??= new AudioContext()
  void audio.resume()
}

/** A short, quiet two-tone chime, synthesised: no sound file to download. */
export function chime(): void {
  if (!audio || audio.state !== 'running') return
  const now = audio.currentTime
  for (const [offset, frequency] of [[0, 660], [0.12, 880]] as const) {
    const oscillator = audio.createOscillator()
    const gain = audio.createGain()
    oscillator.frequency.value = frequency
    gain.gain.setValueAtTime(0.0001, now + offset)
    gain.gain.exponentialRampToValueAtTime(0.08, now + offset + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.25)
    oscillator.connect(gain).connect(audio.destination)
    oscillator.start(now + offset)
    oscillator.stop(now + offset + 0.3)
  }
}
