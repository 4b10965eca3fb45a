import createError from '@fastify/error'
import { ErrorCode } from '@nabij/shared/api/errors'

/**
 * Our errors carry the shared stable code; the English text is for the log, people read `errors.<CODE>` from the
 * locales in their language.
 */
export const NotFound = createError(ErrorCode.NotFound, 'not found', 404)
export const ReportNotFound = createError(ErrorCode.ReportNotFound, 'report %s not found', 404)
export const ContactRequired = createError(ErrorCode.ContactRequired, 'named report without name and contact', 400)
export const EmailInvalid = createError(ErrorCode.EmailInvalid, 'invalid email address', 400)
export const PhoneInvalid = createError(ErrorCode.PhoneInvalid, 'invalid phone number', 400)
export const LocationRequired = createError(ErrorCode.LocationRequired, 'location or address text required', 400)
export const IdempotencyConflict = createError(ErrorCode.IdempotencyConflict, 'idempotency key reused with a different request', 409)
export const PhotoUnreadable = createError(ErrorCode.PhotoUnreadable, 'photo %d could not be decoded', 422)
export const PhotoTypeUnsupported = createError(ErrorCode.PhotoTypeUnsupported, 'photo %d has an unsupported type', 422)
export const PhotoTooLarge = createError(ErrorCode.PhotoTooLarge, 'photo %d is over the size limit', 413)
export const PhotoTooManyPixels = createError(ErrorCode.PhotoTooManyPixels, 'photo %d has too many pixels', 422)
export const TooManyPhotos = createError(ErrorCode.TooManyPhotos, 'too many photos', 422)
export const StorageUnavailable = createError(ErrorCode.StorageUnavailable, 'photo storage unavailable', 503)
export const ServiceUnavailable = createError(ErrorCode.ServiceUnavailable, 'service unavailable', 503)
export const ReceiptInvalid = createError(ErrorCode.ReceiptInvalid, 'receipt code not valid', 401)
export const Unauthenticated = createError(ErrorCode.Unauthenticated, 'authentication required', 401)
export const SessionExpired = createError(ErrorCode.SessionExpired, 'session expired', 401)
export const Forbidden = createError(ErrorCode.Forbidden, 'forbidden', 403)
export const CsrfInvalid = createError(ErrorCode.CsrfInvalid, 'csrf token missing or wrong', 403)
export const LoginFailed = createError(ErrorCode.LoginFailed, 'login failed', 401)
export const AccountLocked = createError(ErrorCode.AccountLocked, 'account locked', 423)
export const AccountDisabled = createError(ErrorCode.AccountDisabled, 'account disabled', 403)
export const TotpRequired = createError(ErrorCode.TotpRequired, 'totp code required', 401)
export const TotpInvalid = createError(ErrorCode.TotpInvalid, 'totp code invalid', 401)
export const PasswordTooWeak = createError(ErrorCode.PasswordTooWeak, 'password too weak', 400)
export const EmailTaken = createError(ErrorCode.EmailTaken, 'email already used', 409)
export const StaffNotFound = createError(ErrorCode.StaffNotFound, 'staff %s not found', 404)
export const ZoneNotFound = createError(ErrorCode.ZoneNotFound, 'zone %s not found', 404)
export const GeojsonInvalid = createError(ErrorCode.GeojsonInvalid, 'invalid GeoJSON: %s', 400)
export const TransitionNotAllowed = createError(ErrorCode.TransitionNotAllowed, 'transition %s → %s not allowed', 409)
export const CloseAnswerRequired = createError(ErrorCode.CloseAnswerRequired, 'closing needs a public answer', 400)
export const ReopenWindowPassed = createError(ErrorCode.ReopenWindowPassed, 'reopen window passed', 409)
