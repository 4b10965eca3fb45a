/**
 * The receipt code is the resident's only key to an anonymous report. It is kept on the device only when the
 * resident ticks "remember on this device", never by default.
 */
const key = 'nabij.receipt'

export function rememberReceipt(code: string): void {
  try {
    localStorage.setItem(key, code)
  } catch {
    // storage disabled: nothing remembered, which is the safe side
  }
}

export function rememberedReceipt(): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

export function forgetReceipt(): void {
  try {
    localStorage.removeItem(key)
  } catch {
    // nothing stored
  }
}

/** "1234567890123456" or "1234-5678 9012 3456" → ["1234", "5678", "9012", "3456"]. */
export function receiptGroups(code: string): string[] {
  return normaliseReceipt(code).match(/.{1,4}/g) ?? []
}

export function normaliseReceipt(code: string): string {
  return code.replace(/[^0-9a-z]/gi, '').toUpperCase()
}

export function formatReceipt(code: string): string {
  return receiptGroups(code).join(' ')
}
