import { Type, type Static } from '@sinclair/typebox';
import { routeRuleSchema } from './module-manifest.js';

// The registry's route table (`GET /registry/v1/route-table`), declared once: the registry answers
// with it, the gateway routes modules by it, auth reads the modules' role grants and platform
// needs from it.

const roleGrants = Type.Object(
  { owner: Type.Array(Type.String()), admin: Type.Array(Type.String()), member: Type.Array(Type.String()), viewer: Type.Array(Type.String()) },
  { description: 'the module permissions each tenant role holds (auth puts them in tokens)' },
);

export const routeTableModuleSchema = Type.Object({
  moduleId: Type.String(),
  baseUrl: Type.String(),
  replicaBaseUrls: Type.Optional(Type.Array(Type.String(), { description: 'further instances of the module, balanced with baseUrl' })),
  apiPrefix: Type.String(),
  enabled: Type.Boolean(),
  status: Type.Union([Type.Literal('unknown'), Type.Literal('healthy'), Type.Literal('unhealthy')]),
  routes: Type.Array(routeRuleSchema),
  roles: roleGrants,
  memoryRequirements: Type.Union([Type.Object({ read: Type.Boolean(), write: Type.Boolean() }, { additionalProperties: true }), Type.Null()], {
    description: 'what the module needs of the memory service on its callers\' behalf (auth limits its delegated tokens to it)',
  }),
});

export const routeTableSchema = Type.Object({
  revision: Type.Integer({ description: 'bumped by every change; a long poll answers as soon as it passes `after`' }),
  modules: Type.Array(routeTableModuleSchema),
});

export type RouteTable = Static<typeof routeTableSchema>;
export type RouteTableModule = Static<typeof routeTableModuleSchema>;
