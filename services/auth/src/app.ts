import { randomBytes } from 'node:crypto';
import { authPlugin, createAccessTokenVerifier, createService, hs256SecretFrom, readyOnceDone, tokenIssuerOf, type DatabaseServiceDeps, type ServiceApp, type VerificationKeys } from '@lift/kit';
import { workAccountRequests } from './account-request-worker.js';
import { apiKeys } from './api-keys.js';
import { backgroundRounds } from './background-rounds.js';
import type { AuthDomain } from './auth-domain.js';
import { emailVerificationMode, type AuthConfig } from './config.js';
import { authIdentity } from './service-identity.js';
import { loginThrottle } from './login-throttle.js';
import { moduleGrants } from './module-grants.js';
import { mailSender, type MailSender } from './mail/mail-sender.js';
import { openMailTransport } from './mail/open-mail-transport.js';
import { mailSendLimit } from './mail-send-limit.js';
import { answersAreNeverStored } from './no-store.js';
import { ensurePlatformAdmin } from './platform-admin.js';
import { hashPassword, owaspPasswordHashing, type PasswordHashing } from './passwords.js';
import { refreshTokens } from './refresh-tokens.js';
import { openRevocationEvents, type RevocationEvents } from './revocation-events.js';
import { apiKeyTokenCheck } from './api-key-token-check.js';
import { credentialChangeCheck } from './credential-change-check.js';
import { apiKeyRoutes } from './routes/api-key-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { emailVerificationRoutes } from './routes/email-verification-routes.js';
import { invitationRoutes } from './routes/invitation-routes.js';
import { organisationRoutes } from './routes/organisation-routes.js';
import { passwordResetRoutes } from './routes/password-reset-routes.js';
import { oauthRoutes } from './routes/oauth-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { signingKeyRoutes } from './routes/signing-key-routes.js';
import { tokenRoutes } from './routes/token-routes.js';
import { serverSecret } from './server-secrets.js';
import { sessionCookies } from './session-cookies.js';
import { accessTokenLifetime } from './sessions.js';
import { SigningKeyRing } from './signing-keys.js';
import { authStore } from './store/index.js';
import type { AuthTables } from './tables.js';
import { createTokenIssuer, type TokenSigning } from './token-issuer.js';
import { moduleAudiencePrefix } from './oauth/token-exchange-grant.js';

export type { AuthTables };
export type AuthDeps = DatabaseServiceDeps<AuthConfig, AuthTables> & {
  /** Tests use cheaper argon2 settings; production always OWASP's. */
  readonly passwordHashing?: PasswordHashing;
};

/** Auth's app and what only tests reach: the background work, to run what is due without waiting for a poll. */
export interface AuthApp {
  readonly app: ServiceApp;
  readonly mail: MailSender;
  /** Works the account requests due now; resolves once each is worked (here or by a round running meanwhile). */
  readonly workAccountRequests: () => Promise<number>;
}

export async function buildApp(deps: AuthDeps): Promise<ServiceApp> {
  return (await buildAuthApp(deps)).app;
}

export async function buildAuthApp(deps: AuthDeps): Promise<AuthApp> {
  const { config, clock, database } = deps;
  const store = authStore(database.db, clock);
  const passwordHashing = deps.passwordHashing ?? owaspPasswordHashing;
  const maxTokenLifetimeSeconds = Math.max(config.ACCESS_TOKEN_TTL_SECONDS, config.API_KEY_TOKEN_TTL_SECONDS);
  const keyRing =
    config.JWT_ALGORITHM === 'EdDSA'
      ? new SigningKeyRing({ store: store.signingKeys, clock, rotationDays: config.SIGNING_KEY_ROTATION_DAYS, maxTokenLifetimeSeconds, state: deps.state, log: deps.log })
      : undefined;
  // The kit's check, the one every verifier makes: HS256 needs at least 32 bytes (RFC 7518 §3.2).
  const signing: TokenSigning = keyRing ? { algorithm: 'EdDSA', keys: keyRing } : { algorithm: 'HS256', secret: hs256SecretFrom(config.JWT_SECRET) };
  const verificationKeys: VerificationKeys = signing.algorithm === 'EdDSA' ? { algorithm: 'EdDSA', keys: signing.keys.keySource() } : { algorithm: 'HS256', secret: Buffer.from(signing.secret) };
  // A revoked API key's tokens are refused here although their signature is still good.
  const keys = apiKeys(store, clock);
  const keyTokens = apiKeyTokenCheck(keys, clock);
  // And a person's token from before a password reset: at auth it could outlast the reset.
  const afterReset = credentialChangeCheck(store.users);
  const verifier = afterReset.guard(keyTokens.guard(createAccessTokenVerifier({ keys: verificationKeys, issuer: tokenIssuerOf(config), audience: config.JWT_AUDIENCE, clock })));

  // The successor key needs the tables; refresh requests wait for it, nothing else does.
  const successorKey = database.migrated.then(() => serverSecret(store, clock, 'refresh-token-successor'));
  successorKey.catch(() => undefined);
  // So is the key of the web console's CSRF tokens (session-cookies.ts).
  const csrfKey = database.migrated.then(() => serverSecret(store, clock, 'session-csrf'));
  csrfKey.catch(() => undefined);
  const issuer = createTokenIssuer({ signing, issuer: tokenIssuerOf(config), audience: config.JWT_AUDIENCE, clock });
  const grants = config.REGISTRY_SERVICE_URL
    ? moduleGrants({ registryUrl: config.REGISTRY_SERVICE_URL, http: deps.http, issuer, clock, log: deps.log, refreshMs: config.MODULE_GRANTS_REFRESH_MS })
    : { forRole: async () => [], platformAccessOf: async () => [] };
  const gatewayRevocations = await openRevocationEvents({ config, state: deps.state, http: deps.http, issuer, clock, log: deps.log });
  const revocations: RevocationEvents = {
    apiKeysRevoked: (organisationId, apiKeyIds, reason) => {
      keyTokens.forget(apiKeyIds);
      gatewayRevocations.apiKeysRevoked(organisationId, apiKeyIds, reason);
    },
    close: () => gatewayRevocations.close(),
  };
  const mail = mailSender({ outbox: store.mailOutbox, transport: openMailTransport(config, deps.log), clock, log: deps.log });
  deps.log.info({ mailTransport: mail.description, emailVerification: emailVerificationMode(config) }, `mail goes to ${mail.description}`);
  if (config.NODE_ENV === 'production' && !config.SMTP_URL) {
    deps.log.warn({ mailDir: config.MAIL_DIR }, 'NODE_ENV=production without SMTP_URL: verification and reset links are only written to MAIL_DIR, nobody receives them; set SMTP_URL');
  }
  const accountRequests = backgroundRounds(() => workAccountRequests(domain), { pollMs: 5_000, log: deps.log, failure: 'reading the account requests failed' });
  const domain: AuthDomain = {
    config,
    mail,
    accountRequests,
    mailLimit: mailSendLimit(deps.state, clock, { perRecipient: config.MAIL_LIMIT_PER_RECIPIENT_PER_HOUR, perRecipientPerClient: config.MAIL_LIMIT_PER_RECIPIENT_PER_CLIENT_PER_HOUR, perClient: config.MAIL_LIMIT_PER_CLIENT_PER_HOUR, windowMs: 3_600_000 }),
    log: deps.log,
    store,
    clock,
    refreshTokens: refreshTokens({ store, clock, lifetimeDays: config.REFRESH_TOKEN_TTL_DAYS, reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS, successorKey }),
    apiKeys: keys,
    throttle: loginThrottle(deps.state, clock, {
      maxFailures: config.LOCKOUT_MAX_FAILURES,
      maxAccountFailures: config.LOCKOUT_ACCOUNT_MAX_FAILURES,
      windowMs: config.LOCKOUT_WINDOW_HOURS * 3_600_000,
      waitIncrementMs: config.LOCKOUT_WAIT_INCREMENT_SECONDS * 1000,
      maxWaitMs: config.LOCKOUT_MAX_WAIT_SECONDS * 1000,
      quickFailureMs: config.LOCKOUT_QUICK_FAILURE_MS,
      maxFailuresPerIp: config.LOCKOUT_MAX_FAILURES_PER_IP,
      knownAddressMs: config.LOCKOUT_KNOWN_ADDRESS_DAYS * 86_400_000,
    }),
    issuer,
    moduleGrants: grants,
    revocations,
    passwordHashing,
    decoyPasswordHash: hashPassword(randomBytes(24).toString('base64url'), passwordHashing),
  };
  deps.log.debug({ accessTokenSeconds: accessTokenLifetime(domain), algorithm: config.JWT_ALGORITHM }, 'token settings');

  const app = await createService({ identity: authIdentity, config, log: deps.log, clock, tracing: deps.tracing });
  answersAreNeverStored(app);
  // Ready only once the platform organisation and its first admin exist.
  readyOnceDone(app, { name: 'platform-admin', after: database.migrated, work: () => ensurePlatformAdmin(domain, deps.log), log: deps.log, failure: 'creating the platform admin failed' });
  await app.register(authPlugin, { verifier });
  await sessionRoutes(app, domain, sessionCookies({ publicUrl: config.PUBLIC_URL, lifetimeSeconds: config.REFRESH_TOKEN_TTL_DAYS * 86_400, csrfKey }));
  await emailVerificationRoutes(app, domain);
  await passwordResetRoutes(app, domain);
  await organisationRoutes(app, domain);
  await invitationRoutes(app, domain);
  await apiKeyRoutes(app, domain);
  await auditRoutes(app, domain);
  await tokenRoutes(app, { verifier, keyRing });
  await signingKeyRoutes(app, { keyRing, audit: store.audit });
  if (keyRing) {
    const stopFollowing = await keyRing.followChanges();
    app.addHook('onClose', stopFollowing);
  }
  // The outbox exists once migrations ran; sending stops after in-flight requests (onClose runs
  // once the server stopped accepting), so what they queued is in the outbox for the next start.
  database.migrated.then(
    () => {
      accountRequests.start();
      mail.start();
    },
    () => undefined,
  );
  // Requests first: what they queue is then sent, or kept for the next start.
  app.addHook('onClose', () => accountRequests.stop());
  app.addHook('onClose', () => mail.stop());
  // Last: events of the requests that just finished are written (stream) or kept (outbox).
  app.addHook('onClose', () => revocations.close());
  // Subject tokens of a token exchange: the platform's own, or a module's (audience module:<id>).
  const subjectVerifier = afterReset.guard(keyTokens.guard(createAccessTokenVerifier({ keys: verificationKeys, issuer: tokenIssuerOf(config), audience: (audience) => audience === config.JWT_AUDIENCE || audience.startsWith(moduleAudiencePrefix), clock })));
  await oauthRoutes(app, { config, issuer, clock, verifySubject: (token) => subjectVerifier.verify(token), platformAccessOf: (moduleId) => grants.platformAccessOf(moduleId) });
  return { app, mail, workAccountRequests: () => workAccountRequests(domain) };
}
