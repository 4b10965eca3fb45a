import { hash, verify } from '@node-rs/argon2'
import { passwordMinLength } from '@nabij/shared/domain/roles'
import { PasswordTooWeak } from '../../errors.js'

// @node-rs/argon2 defaults to argon2id (19 MiB, 2 passes): OWASP's first recommended setting.
export const hashPassword = (password: string): Promise<string> => hash(password)

/** A hash of a password nobody knows: unknown e-mail addresses cost the same time as wrong passwords. */
let decoy: Promise<string> | undefined

export async function checkPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hash('decoy password that matches nothing')
    await verify(await decoy, password).catch(() => false)
    return false
  }
  return verify(passwordHash, password).catch(() => false)
}

/** Length over composition rules (NIST SP 800-63B): at least 12 characters, not only one repeated character. */
export function assertStrongPassword(password: string): void {
  const chars = [...password]
  if (chars.length < passwordMinLength || new Set(chars).size < 4) throw new PasswordTooWeak()
}
