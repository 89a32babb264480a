/** Stable codes of the auth service; each message tells the caller what to do. */
export const authErrorCodes = {
  emailTaken: 'AUTH_EMAIL_TAKEN',
  weakPassword: 'AUTH_PASSWORD_REJECTED',
  invalidCredentials: 'AUTH_INVALID_CREDENTIALS',
  loginLocked: 'AUTH_LOGIN_LOCKED',
  invalidRefreshToken: 'AUTH_REFRESH_TOKEN_INVALID',
  refreshTokenReused: 'AUTH_REFRESH_TOKEN_REUSED',
  /** A request with the session cookie whose x-csrf-token is missing or not that session's. */
  csrfRejected: 'AUTH_CSRF_REJECTED',
  notAMember: 'AUTH_NOT_A_MEMBER',
  organisationNotFound: 'AUTH_ORGANISATION_NOT_FOUND',
  memberNotFound: 'AUTH_MEMBER_NOT_FOUND',
  userNotFound: 'AUTH_USER_NOT_FOUND',
  alreadyMember: 'AUTH_ALREADY_MEMBER',
  lastOwner: 'AUTH_LAST_OWNER',
  ownerRequired: 'AUTH_OWNER_REQUIRED',
  permissionNotHeld: 'AUTH_PERMISSION_NOT_HELD',
  apiKeyInvalid: 'AUTH_API_KEY_INVALID',
  apiKeyNotFound: 'AUTH_API_KEY_NOT_FOUND',
  expiryInPast: 'AUTH_EXPIRY_IN_PAST',
  forbidden: 'AUTH_FORBIDDEN',
  signingKeyNotFound: 'AUTH_SIGNING_KEY_NOT_FOUND',
  signingKeysUnavailable: 'AUTH_SIGNING_KEYS_UNAVAILABLE',
  personRequired: 'AUTH_PERSON_REQUIRED',
  /** Unknown, expired, used, replaced or of another purpose: one answer, so none is revealed. */
  accountTokenInvalid: 'AUTH_ACCOUNT_TOKEN_INVALID',
  emailNotVerified: 'AUTH_EMAIL_NOT_VERIFIED',
  emailAlreadyVerified: 'AUTH_EMAIL_ALREADY_VERIFIED',
  mailLimited: 'AUTH_MAIL_LIMITED',
  /** Unknown, expired, accepted or revoked: one answer. */
  invitationInvalid: 'AUTH_INVITATION_INVALID',
  invitationForAnotherAddress: 'AUTH_INVITATION_FOR_ANOTHER_ADDRESS',
  invitationNotFound: 'AUTH_INVITATION_NOT_FOUND',
  /** Verification required: people join by invitation, never added by address (which would tell who has an account). */
  invitationRequired: 'AUTH_INVITATION_REQUIRED',
  /** Logged, not answered: LIFT_ADMIN_EMAIL names an account bootstrap did not create (lift up shows it). */
  platformAdminEmailTaken: 'AUTH_PLATFORM_ADMIN_EMAIL_TAKEN',
  /** Logged, not answered: LIFT_ADMIN_PASSWORD fails the password policy. */
  platformAdminPasswordRejected: 'AUTH_PLATFORM_ADMIN_PASSWORD_REJECTED',
} as const;
