import { api } from '../api'
import { once } from './useAsync'

/** Installation facts, zones and categories change rarely: one request each per page load. */
export const loadMeta = once(() => api.meta.get())
export const loadZones = once(() => api.zones.list())
export const loadCategories = once(() => api.categories.list())
