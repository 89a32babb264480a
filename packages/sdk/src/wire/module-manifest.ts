import { Type, type Static } from '@sinclair/typebox';

// The module manifest (`module.json`): the contract by which a module joins the platform, declared
// once here for the registry (which validates it) and for modules (which write it).

const closed = { additionalProperties: false } as const;
const Slug = Type.String({ pattern: '^[a-z][a-z0-9-]{1,47}$', description: 'lower-case letters, digits and dashes; starts with a letter' });
const Permission = Type.String({ pattern: '^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$', maxLength: 64 });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

/** How a module's permission is required for part of its API. */
export const routeRuleSchema = Type.Object(
  {
    method: Type.Union(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', '*'].map((method) => Type.Literal(method))),
    pathPrefix: Type.String({ pattern: '^/', maxLength: 200 }),
    permission: Permission,
  },
  closed,
);

/**
 * A module's manifest (`module.json`), the contract by which it joins the platform. JSON is
 * camelCase like the rest of the API; unknown fields are refused so a typo is not silently lost.
 */
export const moduleManifestSchema = Type.Object(
  {
    moduleId: Slug,
    name: Text(100),
    version: Type.String({
      pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$',
      maxLength: 64,
      description: 'semantic version',
    }),
    baseUrl: Type.String({ pattern: '^https?://', maxLength: 500, description: 'where the gateway forwards /modules/{moduleId}/*' }),
    replicaBaseUrls: Type.Optional(
      Type.Array(Type.String({ pattern: '^https?://', maxLength: 500 }), {
        maxItems: 15,
        description: "further instances of the module: the same API at other origins (same path as baseUrl); the gateway balances across baseUrl and these, and stops sending to one that fails",
      }),
    ),
    healthEndpoint: Type.String({ maxLength: 500, default: '/health', description: 'a path under baseUrl or an absolute http(s) URL' }),
    apiPrefix: Type.String({ pattern: '^/', maxLength: 100, default: '/' }),
    features: Type.Array(Text(64), { maxItems: 50, default: [] }),
    permissions: Type.Array(Permission, { maxItems: 50, default: [] }),
    routes: Type.Optional(Type.Array(routeRuleSchema, { maxItems: 100 })),
    roles: Type.Optional(
      Type.Object(
        {
          owner: Type.Optional(Type.Array(Permission, { maxItems: 50 })),
          admin: Type.Optional(Type.Array(Permission, { maxItems: 50 })),
          member: Type.Optional(Type.Array(Permission, { maxItems: 50 })),
          viewer: Type.Optional(Type.Array(Permission, { maxItems: 50 })),
        },
        closed,
      ),
    ),
    healthCheck: Type.Optional(
      Type.Object(
        {
          type: Type.Union([Type.Literal('http'), Type.Literal('ttl')], { description: 'http: the registry calls healthEndpoint; ttl: the module sends heartbeats' }),
          ttlSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
        },
        closed,
      ),
    ),
    memoryRequirements: Type.Optional(
      Type.Object(
        {
          read: Type.Boolean({ default: false }),
          write: Type.Boolean({ default: false }),
          searchTypes: Type.Array(Type.Union(['text', 'vector', 'graph', 'conceptual', 'hybrid'].map((kind) => Type.Literal(kind))), { maxItems: 5, default: [] }),
          memoryTypes: Type.Array(Text(64), { maxItems: 50, default: [] }),
        },
        closed,
      ),
    ),
    uiComponents: Type.Array(Type.Object({ name: Text(100), path: Type.String({ pattern: '^/', maxLength: 200 }), permissions: Type.Array(Permission, { maxItems: 20, default: [] }) }, closed), {
      maxItems: 50,
      default: [],
    }),
    metadata: Type.Object(
      {
        description: Type.Optional(Text(1000)),
        author: Type.Optional(Text(200)),
        category: Type.Optional(Text(64)),
        tags: Type.Optional(Type.Array(Text(64), { maxItems: 30 })),
      },
      { ...closed, default: {} },
    ),
  },
  closed,
);

/** A manifest as the registry holds it: validated, every default filled in. */
export type CompleteModuleManifest = Static<typeof moduleManifestSchema>;
export type RouteRule = Static<typeof routeRuleSchema>;

type Defaulted = 'healthEndpoint' | 'apiPrefix' | 'features' | 'permissions' | 'metadata';
type MemoryRequirements = NonNullable<CompleteModuleManifest['memoryRequirements']>;
type UiComponent = CompleteModuleManifest['uiComponents'][number];

/** A manifest as a module writes it: what has a default may be left out. */
export type ModuleManifest = Omit<CompleteModuleManifest, Defaulted | 'memoryRequirements' | 'uiComponents'> &
  Partial<Pick<CompleteModuleManifest, Defaulted>> & {
    readonly memoryRequirements?: Partial<MemoryRequirements>;
    readonly uiComponents?: readonly (Omit<UiComponent, 'permissions'> & Partial<Pick<UiComponent, 'permissions'>>)[];
  };
