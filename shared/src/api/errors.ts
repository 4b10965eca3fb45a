import { Type, type Static } from 'typebox'

/**
 * Stable error codes: clients, tests and locale files (`errors.<CODE>`) key on them.
 * A code is never renamed or reused; add new ones at the end of their group.
 */
export const ErrorCode = {
  // generic
  ValidationFailed: 'VALIDATION_FAILED',
  NotFound: 'NOT_FOUND',
  BodyTooLarge: 'BODY_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited: 'RATE_LIMITED',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL',
  RequestTimeout: 'REQUEST_TIMEOUT',
  // reports and photos
  ReportNotFound: 'REPORT_NOT_FOUND',
  ContactRequired: 'CONTACT_REQUIRED',
  EmailInvalid: 'EMAIL_INVALID',
  PhoneInvalid: 'PHONE_INVALID',
  LocationRequired: 'LOCATION_REQUIRED',
  IdempotencyConflict: 'IDEMPOTENCY_CONFLICT',
  PhotoUnreadable: 'PHOTO_UNREADABLE',
  PhotoTypeUnsupported: 'PHOTO_TYPE_UNSUPPORTED',
  PhotoTooLarge: 'PHOTO_TOO_LARGE',
  PhotoTooManyPixels: 'PHOTO_TOO_MANY_PIXELS',
  TooManyPhotos: 'TOO_MANY_PHOTOS',
  StorageUnavailable: 'STORAGE_UNAVAILABLE',
  ReceiptInvalid: 'RECEIPT_INVALID',
  ResidentTokenInvalid: 'RESIDENT_TOKEN_INVALID',
  // staff, sessions, authorisation
  Unauthenticated: 'UNAUTHENTICATED',
  SessionExpired: 'SESSION_EXPIRED',
  Forbidden: 'FORBIDDEN',
  CsrfInvalid: 'CSRF_INVALID',
  LoginFailed: 'LOGIN_FAILED',
  AccountLocked: 'ACCOUNT_LOCKED',
  AccountDisabled: 'ACCOUNT_DISABLED',
  TotpRequired: 'TOTP_REQUIRED',
  TotpInvalid: 'TOTP_INVALID',
  PasswordTooWeak: 'PASSWORD_TOO_WEAK',
  EmailTaken: 'EMAIL_TAKEN',
  StaffNotFound: 'STAFF_NOT_FOUND',
  // zones
  ZoneNotFound: 'ZONE_NOT_FOUND',
  GeojsonInvalid: 'GEOJSON_INVALID',
  StaffNotOfficer: 'STAFF_NOT_OFFICER',
  OfficerNotInZone: 'OFFICER_NOT_IN_ZONE',
  // workflow
  TransitionNotAllowed: 'TRANSITION_NOT_ALLOWED',
  CloseAnswerRequired: 'CLOSE_ANSWER_REQUIRED',
  ReopenWindowPassed: 'REOPEN_WINDOW_PASSED',
  CloseReasonRequired: 'CLOSE_REASON_REQUIRED',
  AssigneeNotInTeam: 'ASSIGNEE_NOT_IN_TEAM',
  QuestionVisibilityInvalid: 'QUESTION_VISIBILITY_INVALID',
  UpdateNotFound: 'UPDATE_NOT_FOUND',
  TranslationUnavailable: 'TRANSLATION_UNAVAILABLE',
  // neighbourhood posts
  PostNotFound: 'POST_NOT_FOUND',
  // accountability: figures, priorities, Open311, alerts
  RangeInvalid: 'RANGE_INVALID',
  RoundNotFound: 'ROUND_NOT_FOUND',
  RoundClosed: 'ROUND_CLOSED',
  RoundStillOpen: 'ROUND_STILL_OPEN',
  RoundLocked: 'ROUND_LOCKED',
  BallotInvalid: 'BALLOT_INVALID',
  BallotTokenInvalid: 'BALLOT_TOKEN_INVALID',
  BallotAlreadyCast: 'BALLOT_ALREADY_CAST',
  PriorityNotFound: 'PRIORITY_NOT_FOUND',
  ServiceNotFound: 'SERVICE_NOT_FOUND',
  ApiKeyInvalid: 'API_KEY_INVALID',
  SubscriptionTokenInvalid: 'SUBSCRIPTION_TOKEN_INVALID',
  // moderation
  SummaryRequired: 'SUMMARY_REQUIRED',
  ReportMerged: 'REPORT_MERGED',
  MergeInvalid: 'MERGE_INVALID',
  PhotoNotFound: 'PHOTO_NOT_FOUND',
  PassageNotFound: 'PASSAGE_NOT_FOUND',
  FlagNotRemovable: 'FLAG_NOT_REMOVABLE',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]
export const errorCodes = Object.values(ErrorCode) as ErrorCode[]

export const ErrorReply = Type.Object(
  {
    code: Type.String({ description: 'Stable error code, see ErrorCode', examples: ['VALIDATION_FAILED'] }),
    message: Type.String({ description: "Human-readable message in the request's language" }),
    details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'ErrorReply' },
)
export type ErrorReply = Static<typeof ErrorReply>
