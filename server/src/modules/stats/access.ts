import type { DiagnosisReply, StaffDiagnosisQuery } from '@nabij/shared/api/stats'
import type { Db } from '../../db/connect.js'
import { Forbidden } from '../../errors.js'
import type { StaffPrincipal } from '../staff/sessions.js'
import { officerZoneIds } from '../staff/access.js'
import { diagnosis } from './diagnosis.js'

/** Exact counts: an officer only for the zones they hold today; partners, oversight and admins for any zone. */
export async function staffDiagnosis(db: Db, staff: Pick<StaffPrincipal, 'id' | 'role'>, query: StaffDiagnosisQuery): Promise<DiagnosisReply> {
  const { zoneId, cellMeters, ...rest } = query
  if (staff.role === 'officer' && !(await officerZoneIds(db, staff.id)).includes(zoneId)) throw new Forbidden()
  return diagnosis(db, zoneId, rest, { threshold: 0, ...(cellMeters ? { cellMeters } : {}) })
}
