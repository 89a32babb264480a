import { LiftApiError } from './problem.js';
import type { AccessToken, CreatedApiKey, RegisteredModule, RegisteredSession, RegistrationPending, Session } from './types.js';
import type { ModuleManifest } from './wire/module-manifest.js';

export interface LiftClientOptions {
  /** The gateway, e.g. http://localhost:8000; every call goes through it. */
  readonly gatewayUrl: string;
  readonly fetch?: typeof fetch;
}

/**
 * A typed client for the platform's API through the gateway. Methods that need a caller take its
 * access token; errors are LiftApiError carrying the problem+json document.
 */
export function createLiftClient(options: LiftClientOptions) {
  const base = options.gatewayUrl.replace(/\/$/, '');
  const fetchImpl = options.fetch ?? fetch;

  const call = async <T>(method: string, path: string, body?: unknown, accessToken?: string): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
    const response = await fetchImpl(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    if (!response.ok) throw new LiftApiError(response.status, parsed);
    return parsed as T;
  };

  return {
    auth: {
      /** A session when verification is optional; `verificationRequired` (202) when it is required. */
      register: (input: { email: string; password: string; displayName?: string; organisationName?: string }) => call<RegisteredSession | RegistrationPending>('POST', '/auth/v1/register', input),
      /** Verification required: the registration link's token and the password chosen when registering create the account and sign in. */
      confirmRegistration: (token: string, password: string) => call<RegisteredSession>('POST', '/auth/v1/register/confirm', { token, password }),
      /** Posts the token from a verification link (the console's /console/verify-email page does this). */
      confirmEmail: (token: string) => call<void>('POST', '/auth/v1/email-verification/confirm', { token }),
      resendVerification: (accessToken: string) => call<{ message: string }>('POST', '/auth/v1/email-verification', undefined, accessToken),
      /** Always accepted: never says whether the address has an account. */
      requestPasswordReset: (email: string) => call<{ message: string }>('POST', '/auth/v1/password-reset', { email }),
      resetPassword: (token: string, password: string) => call<void>('POST', '/auth/v1/password-reset/confirm', { token, password }),
      invite: (accessToken: string, organisationId: string, input: { email: string; role: string }) =>
        call<{ id: string; email: string; role: string; expiresAt: string }>('POST', `/auth/v1/organisations/${encodeURIComponent(organisationId)}/invitations`, input, accessToken),
      /** The signed-in invitee (with the invited address) accepts; then switch with /auth/v1/token/switch. */
      acceptInvitation: (accessToken: string, token: string) => call<{ organisationId: string; organisationName: string; role: string }>('POST', '/auth/v1/invitations/accept', { token }, accessToken),
      login: (input: { email: string; password: string; organisationId?: string }) => call<Session>('POST', '/auth/v1/login', input),
      refresh: (refreshToken: string) => call<Session>('POST', '/auth/v1/token/refresh', { refreshToken }),
      logout: (refreshToken: string) => call<void>('POST', '/auth/v1/logout', { refreshToken }),
      exchangeApiKey: (apiKey: string) => call<AccessToken>('POST', '/auth/v1/api-keys/exchange', { apiKey }),
      createApiKey: (accessToken: string, input: { name: string; permissions: readonly string[]; expiresAt?: string }) => call<CreatedApiKey>('POST', '/auth/v1/api-keys', input, accessToken),
    },
    registry: {
      registerModule: (accessToken: string, manifest: ModuleManifest) => call<RegisteredModule>('POST', '/registry/v1/modules', manifest, accessToken),
      updateModule: (accessToken: string, manifest: ModuleManifest) => call<RegisteredModule>('PUT', `/registry/v1/modules/${encodeURIComponent(manifest.moduleId)}`, manifest, accessToken),
      getModule: (accessToken: string, moduleId: string) => call<RegisteredModule>('GET', `/registry/v1/modules/${encodeURIComponent(moduleId)}`, undefined, accessToken),
      heartbeat: (accessToken: string, moduleId: string) => call<{ status: string; nextHeartbeatBefore: string }>('PUT', `/registry/v1/modules/${encodeURIComponent(moduleId)}/heartbeat`, undefined, accessToken),
    },
    /** Any other route of the platform or of a module, e.g. `request('GET', '/modules/causal/v1/graphs', token)`. */
    request: <T>(method: string, path: string, accessToken?: string, body?: unknown) => call<T>(method, path, body, accessToken),
  };
}

export type LiftClient = ReturnType<typeof createLiftClient>;
