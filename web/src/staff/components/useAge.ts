import { useTranslation } from 'i18next-vue'

/** "3 h ago", "2 days ago" in the interface language (Intl.RelativeTimeFormat). */
export function useAge() {
  const { i18next } = useTranslation()
  return (iso: string, now = Date.now()): string => {
    const format = new Intl.RelativeTimeFormat(i18next.language || 'nl', { numeric: 'auto', style: 'short' })
    const minutes = Math.round((new Date(iso).getTime() - now) / 60_000)
    if (Math.abs(minutes) < 60) return format.format(minutes, 'minute')
    const hours = Math.round(minutes / 60)
    if (Math.abs(hours) < 48) return format.format(hours, 'hour')
    return format.format(Math.round(hours / 24), 'day')
  }
}
