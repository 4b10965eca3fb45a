import { useTranslation } from 'i18next-vue'

/** Dates and numbers in the interface language, through Intl (Arabic digits and order come with it). */
export function useFormat() {
  const { i18next } = useTranslation()
  const locale = () => i18next.language || 'nl'
  return {
    date: (iso: string | Date) => new Intl.DateTimeFormat(locale(), { dateStyle: 'long' }).format(new Date(iso)),
    dateTime: (iso: string | Date) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
    number: (value: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale(), options).format(value),
    /** "50.8275, 4.3721", isolated left-to-right so an Arabic sentence does not reorder the pair. */
    coordinates: (p: { lat: number; lon: number }) => {
      const f = new Intl.NumberFormat(locale(), { maximumFractionDigits: 5 })
      return `\u2066${f.format(p.lat)}, ${f.format(p.lon)}\u2069`
    },
    bytes: (value: number) => new Intl.NumberFormat(locale(), { style: 'unit', unit: value >= 1e6 ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 })
      .format(value >= 1e6 ? value / 1e6 : value / 1e3),
  }
}
