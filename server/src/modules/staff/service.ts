import { and, asc, eq, sql } from 'drizzle-orm'
import type { LoginBody, PasswordChangeBody, SessionReply, StaffMe, StaffUserView, TotpSetupReply, UpdateStaffBody } from '@nabij/shared/api/staff'
import type { Role } from '@nabij/shared/domain/roles'
import type { Db } from '../../db/connect.js'
import { staffUsers, zoneOfficers, zones, type StaffUser } from '../../db/schema.js'
import { AccountDisabled, AccountLocked, EmailTaken, LoginFailed, StaffNotFound, TotpInvalid, TotpRequired } from '../../errors.js'
import { audit } from '../audit/service.js'
import { activeAssignmentOn, brusselsDate } from './access.js'
import { assertStrongPassword, checkPassword, hashPassword } from './passwords.js'
import { createSession, revokeAllSessions, revokeSession, type StaffPrincipal } from './sessions.js'
import { newTotpSecret, totpStep, totpUri } from './totp.js'

export const maxFailedLogins = 5
export const lockoutMinutes = 15

export interface NewStaffInput {
  email: string
  displayName: string
  role: Role
  password: string
  language?: string
  publicFirstName?: string | null
  showOnZonePage?: boolean
  totpSecret?: string | null
  actorStaffId?: number | null
}

/** Creates an account (the admin API and the demo seed both come here). The password must be strong. */
export async function createStaff(db: Db, input: NewStaffInput): Promise<StaffUser> {
  assertStrongPassword(input.password)
  const passwordHash = await hashPassword(input.password)
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(sql`lower(${staffUsers.email}) = lower(${input.email})`)
    if (taken) throw new EmailTaken()
    const [row] = await tx.insert(staffUsers).values({
      email: input.email.trim(),
      displayName: input.displayName,
      role: input.role,
      language: input.language ?? 'nl',
      passwordHash,
      publicFirstName: input.publicFirstName ?? null,
      showOnZonePage: input.showOnZonePage ?? false,
      totpSecret: input.totpSecret ?? null,
      passwordChangedAt: new Date(),
    }).returning()
    await audit(tx, { staffId: input.actorStaffId ?? null, action: 'staff.create', targetType: 'staff', targetId: row!.id, detail: { role: input.role, email: row!.email } })
    return row!
  })
}

export function staffUserView(row: StaffUser): StaffUserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    publicFirstName: row.publicFirstName,
    showOnZonePage: row.showOnZonePage,
    role: row.role,
    language: row.language,
    totpEnabled: row.totpSecret !== null,
    disabled: row.disabledAt !== null,
    lockedUntil: row.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  }
}

export async function findStaff(db: Db, id: number): Promise<StaffUser> {
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, id))
  if (!row) throw new StaffNotFound(String(id))
  return row
}

export async function staffMe(db: Db, staffId: number): Promise<StaffMe> {
  const row = await findStaff(db, staffId)
  const active = await db.select({ id: zones.id, name: zones.name, primary: zoneOfficers.primary }).from(zoneOfficers)
    .innerJoin(zones, eq(zones.id, zoneOfficers.zoneId))
    .where(and(eq(zoneOfficers.staffId, staffId), activeAssignmentOn(brusselsDate())))
    .orderBy(asc(zones.name))
  return { id: row.id, email: row.email, displayName: row.displayName, role: row.role, language: row.language, totpEnabled: row.totpSecret !== null, zones: active }
}

/**
 * Checks password (and TOTP when enabled) and opens a session. Five wrong attempts in a row lock the account for
 * 15 minutes; a locked account answers ACCOUNT_LOCKED even to the right password, so guessing gains nothing.
 */
export async function login(db: Db, input: LoginBody, now = new Date()): Promise<SessionReply & { cookieValue: string }> {
  const [user] = await db.select().from(staffUsers).where(sql`lower(${staffUsers.email}) = lower(${input.email.trim()})`)
  const passwordOk = await checkPassword(user?.passwordHash ?? null, input.password)
  if (!user) throw new LoginFailed()
  if (user.lockedUntil && user.lockedUntil > now) throw new AccountLocked()
  if (!passwordOk) {
    await recordFailedLogin(db, user.id, 'password', now)
    throw new LoginFailed()
  }
  if (user.disabledAt) throw new AccountDisabled()
  let step: number | null = null
  if (user.totpSecret) {
    if (!input.totp) throw new TotpRequired()
    step = totpStep(user.totpSecret, input.totp, now.getTime())
    if (step === null || (user.totpLastStep !== null && step <= user.totpLastStep)) {
      await recordFailedLogin(db, user.id, 'totp', now)
      throw new TotpInvalid()
    }
  }
  const session = await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ failedLogins: 0, lockedUntil: null, ...(step !== null ? { totpLastStep: step } : {}) }).where(eq(staffUsers.id, user.id))
    const created = await createSession(tx, user.id, now)
    await audit(tx, { staffId: user.id, action: 'session.login', targetType: 'staff', targetId: user.id, detail: { totp: step !== null } })
    return created
  })
  return { staff: await staffMe(db, user.id), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(), cookieValue: session.cookieValue }
}

/** One atomic statement, so parallel guesses on several instances cannot slip past the limit. */
async function recordFailedLogin(db: Db, staffId: number, factor: 'password' | 'totp', now: Date): Promise<void> {
  const lockUntil = new Date(now.getTime() + lockoutMinutes * 60_000)
  await db.transaction(async (tx) => {
    const [row] = await tx.update(staffUsers).set({
      failedLogins: sql`case when ${staffUsers.failedLogins} + 1 >= ${maxFailedLogins} then 0 else ${staffUsers.failedLogins} + 1 end`,
      lockedUntil: sql`case when ${staffUsers.failedLogins} + 1 >= ${maxFailedLogins} then ${lockUntil.toISOString()}::timestamptz else ${staffUsers.lockedUntil} end`,
    }).where(eq(staffUsers.id, staffId)).returning({ lockedUntil: staffUsers.lockedUntil })
    const locked = row?.lockedUntil !== null && row?.lockedUntil !== undefined && row.lockedUntil > now
    await audit(tx, { staffId, action: locked ? 'session.locked' : 'session.login_failed', targetType: 'staff', targetId: staffId, detail: { factor } })
  })
}

export async function logout(db: Db, staff: StaffPrincipal): Promise<void> {
  await db.transaction(async (tx) => {
    await revokeSession(tx, staff.sessionId)
    await audit(tx, { staffId: staff.id, action: 'session.logout', targetType: 'staff', targetId: staff.id })
  })
}

/** A new password ends every other session of the account. */
export async function changePassword(db: Db, staff: StaffPrincipal, input: PasswordChangeBody): Promise<void> {
  const user = await findStaff(db, staff.id)
  if (!(await checkPassword(user.passwordHash, input.currentPassword))) throw new LoginFailed()
  assertStrongPassword(input.newPassword)
  const passwordHash = await hashPassword(input.newPassword)
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(staffUsers.id, staff.id))
    await revokeAllSessions(tx, staff.id, staff.sessionId)
    await audit(tx, { staffId: staff.id, action: 'staff.password_changed', targetType: 'staff', targetId: staff.id })
  })
}

/** Step one of enabling TOTP: a fresh secret for the app; nothing is stored until a code from it is confirmed. */
export async function totpSetup(db: Db, staff: StaffPrincipal): Promise<TotpSetupReply> {
  const user = await findStaff(db, staff.id)
  const secret = newTotpSecret()
  return { secret, uri: totpUri(secret, user.email) }
}

export async function totpEnable(db: Db, staff: StaffPrincipal, secret: string, code: string): Promise<void> {
  const step = totpStep(secret, code)
  if (step === null) throw new TotpInvalid()
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ totpSecret: secret, totpLastStep: step }).where(eq(staffUsers.id, staff.id))
    await audit(tx, { staffId: staff.id, action: 'staff.totp_enabled', targetType: 'staff', targetId: staff.id })
  })
}

export async function totpDisable(db: Db, staff: StaffPrincipal, password: string): Promise<void> {
  const user = await findStaff(db, staff.id)
  if (!(await checkPassword(user.passwordHash, password))) throw new LoginFailed()
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ totpSecret: null, totpLastStep: null }).where(eq(staffUsers.id, staff.id))
    await audit(tx, { staffId: staff.id, action: 'staff.totp_disabled', targetType: 'staff', targetId: staff.id })
  })
}

export async function listStaff(db: Db): Promise<StaffUserView[]> {
  const rows = await db.select().from(staffUsers).orderBy(asc(staffUsers.displayName), asc(staffUsers.id))
  return rows.map(staffUserView)
}

/** Admin edits: role, names, language, disable (ends all sessions) or enable, unlock. */
export async function updateStaff(db: Db, actor: StaffPrincipal, id: number, input: UpdateStaffBody): Promise<StaffUserView> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(staffUsers).where(eq(staffUsers.id, id)).for('update')
    if (!before) throw new StaffNotFound(String(id))
    const now = new Date()
    const changes: Partial<StaffUser> = {}
    if (input.displayName !== undefined) changes.displayName = input.displayName
    if (input.role !== undefined) changes.role = input.role
    if (input.language !== undefined) changes.language = input.language
    if (input.publicFirstName !== undefined) changes.publicFirstName = input.publicFirstName
    if (input.showOnZonePage !== undefined) changes.showOnZonePage = input.showOnZonePage
    if (input.disabled !== undefined) changes.disabledAt = input.disabled ? (before.disabledAt ?? now) : null
    if (input.unlock) Object.assign(changes, { lockedUntil: null, failedLogins: 0 })
    const [after] = Object.keys(changes).length > 0
      ? await tx.update(staffUsers).set(changes).where(eq(staffUsers.id, id)).returning()
      : [before]
    if (input.disabled === true || (input.role !== undefined && input.role !== before.role)) await revokeAllSessions(tx, id)
    await audit(tx, { staffId: actor.id, action: input.disabled === true ? 'staff.disable' : 'staff.update', targetType: 'staff', targetId: id, detail: { changes: Object.keys(changes) } })
    return staffUserView(after!)
  })
}
