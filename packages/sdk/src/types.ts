/** The shapes the platform's API answers with (camelCase JSON), as the SDK exposes them. */
export interface Session {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshToken: string;
  readonly userId: string;
  readonly organisationId: string;
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

/** A module's manifest (`module.json`); see docs/api/registry-service.md. */
export interface ModuleManifest {
  readonly moduleId: string;
  readonly name: string;
  readonly version: string;
  readonly baseUrl: string;
  readonly healthEndpoint?: string;
  readonly apiPrefix?: string;
  readonly features?: readonly string[];
  readonly permissions?: readonly string[];
  readonly routes?: readonly { method: string; pathPrefix: string; permission: string }[];
  readonly roles?: Partial<Record<'owner' | 'admin' | 'member' | 'viewer', readonly string[]>>;
  readonly healthCheck?: { type: 'http' | 'ttl'; ttlSeconds?: number };
  readonly memoryRequirements?: { read?: boolean; write?: boolean; searchTypes?: readonly string[]; memoryTypes?: readonly string[] };
  readonly uiComponents?: readonly { name: string; path: string; permissions?: readonly string[] }[];
  readonly metadata?: { description?: string; author?: string; category?: string; tags?: readonly string[] };
}

export interface RegisteredModule extends ModuleManifest {
  readonly enabled: boolean;
  readonly status: 'unknown' | 'healthy' | 'unhealthy';
}
