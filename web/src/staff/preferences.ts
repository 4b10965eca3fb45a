import { reactive } from 'vue'

/** Per-device choices of a staff member (a shared tablet keeps its own), remembered in localStorage. */
export interface Preferences {
  /** A chime when a new report arrives. */
  sound: boolean
  /** The count of new reports in the tab title and the navigation. */
  badge: boolean
}

const defaults: Preferences = { sound: false, badge: true }
const key = (name: keyof Preferences) => `nabij.staff.${name}`

function load(name: keyof Preferences): boolean {
  try {
    const stored = localStorage.getItem(key(name))
    return stored === null ? defaults[name] : stored === '1'
  } catch {
    return defaults[name]
  }
}

export const preferences = reactive<Preferences>({ sound: load('sound'), badge: load('badge') })

export function readPreference(name: keyof Preferences): boolean {
  return preferences[name]
}

export function setPreference(name: keyof Preferences, value: boolean): void {
  preferences[name] = value
  try {
    localStorage.setItem(key(name), value ? '1' : '0')
  } catch {
    // not remembered, still applied
  }
}
