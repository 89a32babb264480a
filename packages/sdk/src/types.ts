import type { CompleteModuleManifest } from './wire/module-manifest.js';

/** The shapes the platform's API answers with (camelCase JSON), as the SDK exposes them. */
export interface Session {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshToken: string;
  readonly userId: string;
  readonly organisationId: string;
}

/** POST /auth/v1/register with AUTH_EMAIL_VERIFICATION=optional (development): signed in at once. */
export interface RegisteredSession extends Session {
  readonly organisationName: string;
}

/**
 * POST /auth/v1/register with AUTH_EMAIL_VERIFICATION=required (production's default): the same
 * answer for a new and a taken address; the link (or a notice) is in that inbox.
 */
export interface RegistrationPending {
  readonly email: string;
  readonly verificationRequired: true;
  readonly message: string;
}

export interface AccessToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
}

export interface CreatedApiKey {
  readonly id: string;
  readonly key: string;
  readonly prefix: string;
  readonly permissions: readonly string[];
  readonly expiresAt: string | null;
}

/** A module as the registry answers for it: its complete manifest, whether it is enabled, its health. */
export interface RegisteredModule extends CompleteModuleManifest {
  readonly enabled: boolean;
  readonly status: 'unknown' | 'healthy' | 'unhealthy';
}
