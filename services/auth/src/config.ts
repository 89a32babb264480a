import { Type, type Static } from '@sinclair/typebox';
import { baseConfigProperties, databaseConfigProperties, tokenIssuerConfigProperties } from '@lift/kit';

export const authConfigSchema = Type.Object({
  ...baseConfigProperties(8001),
  ...databaseConfigProperties(),
  JWT_ALGORITHM: Type.Union([Type.Literal('EdDSA'), Type.Literal('HS256')], {
    default: 'EdDSA',
    description: 'EdDSA: keys in the database, public keys at /.well-known/jwks.json. HS256: the shared JWT_SECRET (the seed\'s setup)',
  }),
  ...tokenIssuerConfigProperties(),
  JWT_EXPIRATION_HOURS: Type.Number({ exclusiveMinimum: 0, default: 24, description: 'upper bound of an access token\'s life (the seed\'s setting)' }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 30, default: 900, description: 'access token life; the shorter of this and JWT_EXPIRATION_HOURS wins' }),
  API_KEY_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 30, default: 300, description: 'life of the token an API key is exchanged for' }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, default: 30 }),
  REFRESH_REUSE_GRACE_SECONDS: Type.Integer({ minimum: 0, maximum: 60, default: 10, description: 'a racing client reusing a just-rotated refresh token gets the same successor' }),
  SIGNING_KEY_ROTATION_DAYS: Type.Integer({ minimum: 1, default: 30 }),
  PASSWORD_MIN_LENGTH: Type.Integer({ minimum: 8, default: 12 }),
  LOCKOUT_MAX_FAILURES: Type.Integer({ minimum: 1, default: 30, description: 'failed logins of one account from one address in LOCKOUT_WINDOW_HOURS before each further attempt from there waits' }),
  LOCKOUT_ACCOUNT_MAX_FAILURES: Type.Integer({
    minimum: 1,
    default: 100,
    description: 'failed logins of one account from addresses not known for it, in LOCKOUT_WINDOW_HOURS, before further attempts from such addresses wait',
  }),
  LOCKOUT_WINDOW_HOURS: Type.Number({ exclusiveMinimum: 0, default: 12 }),
  LOCKOUT_WAIT_INCREMENT_SECONDS: Type.Integer({ minimum: 1, default: 60 }),
  LOCKOUT_MAX_WAIT_SECONDS: Type.Integer({ minimum: 1, default: 900 }),
  LOCKOUT_QUICK_FAILURE_MS: Type.Integer({ minimum: 0, default: 1000, description: 'two failures of one account from one address closer than this make the next attempt wait LOCKOUT_WAIT_INCREMENT_SECONDS' }),
  LOCKOUT_MAX_FAILURES_PER_IP: Type.Integer({ minimum: 1, default: 100, description: 'failed logins from one address in 15 minutes before it is locked out' }),
  LOCKOUT_KNOWN_ADDRESS_DAYS: Type.Integer({ minimum: 0, default: 30, description: 'how long an address stays known for an account after a successful login from it' }),
  REGISTRY_SERVICE_URL: Type.String({
    pattern: '^(https?://[^,\\s]+)?$',
    default: 'http://127.0.0.1:8005',
    description: 'where module role grants are read from; empty = no module permissions in tokens',
  }),
  GATEWAY_URL: Type.String({
    pattern: '^(https?://[^,\\s]+)?$',
    default: 'http://127.0.0.1:8000',
    description: 'where revocations are delivered without Redis (the gateway\'s inbox); empty = only through Redis',
  }),
  REVOCATION_OUTBOX_FILE: Type.String({ minLength: 1, default: 'data/lift.auth.outbox.db', description: 'without REDIS_URL: the file where revocation events wait until the gateway has them' }),
  MODULE_GRANTS_REFRESH_MS: Type.Integer({ minimum: 0, default: 10_000, description: 'how often module role grants are read again from the registry' }),
  SMTP_URL: Type.Optional(
    Type.String({ pattern: '^smtps?://', description: 'where mail is sent (smtp://user:pass@host:587, smtps://…:465); unset = each message is a file in MAIL_DIR' }),
  ),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Lift OS <no-reply@localhost>', description: 'the From of every message the platform sends' }),
  MAIL_DIR: Type.String({ minLength: 1, default: 'data/mail', description: 'without SMTP_URL: where each message is written as an .eml file' }),
  AUTH_EMAIL_VERIFICATION: Type.Optional(
    Type.Union([Type.Literal('required'), Type.Literal('optional')], {
      description: 'required: an unverified account signs in only to verify its address; unset = required when NODE_ENV=production, optional otherwise',
    }),
  ),
  EMAIL_VERIFICATION_TOKEN_TTL_MINUTES: Type.Integer({ minimum: 5, default: 1440, description: 'how long an e-mail verification link works' }),
  PASSWORD_RESET_TOKEN_TTL_MINUTES: Type.Integer({ minimum: 5, maximum: 1440, default: 30, description: 'how long a password reset link works' }),
  INVITATION_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 90, default: 7, description: 'how long an invitation into an organisation can be accepted' }),
  MAIL_LIMIT_PER_RECIPIENT_PER_HOUR: Type.Integer({ minimum: 1, default: 20, description: 'account mails (verification, reset, notices, invitations) one mailbox (address without +tag) receives per hour from all clients; more are not sent' }),
  MAIL_LIMIT_PER_RECIPIENT_PER_CLIENT_PER_HOUR: Type.Integer({ minimum: 1, default: 5, description: 'account mails one mailbox receives per hour because of one client address; more are not sent' }),
  MAIL_LIMIT_PER_CLIENT_PER_HOUR: Type.Integer({ minimum: 1, default: 20, description: 'account mails one client address may cause per hour; more are not sent' }),
  LIFT_ADMIN_EMAIL: Type.Optional(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$' })),
  LIFT_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
});

export type AuthConfig = Static<typeof authConfigSchema>;

/** AUTH_EMAIL_VERIFICATION as it applies: unset means required in production, optional elsewhere. */
export function emailVerificationMode(config: Pick<AuthConfig, 'AUTH_EMAIL_VERIFICATION' | 'NODE_ENV'>): 'required' | 'optional' {
  return config.AUTH_EMAIL_VERIFICATION ?? (config.NODE_ENV === 'production' ? 'required' : 'optional');
}
