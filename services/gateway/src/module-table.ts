import type { RouteTable, RouteTableModule } from '@lift/sdk';
import { Pool, type buildConnector } from 'undici';
import { UpstreamInstance } from './upstream-instance.js';
import { UpstreamInstances } from './upstream-instances.js';

/** One module as the registry's route table describes it (the SDK declares the table), as far as routing needs it. */
export type ModuleRoute = Pick<RouteTableModule, 'moduleId' | 'baseUrl' | 'apiPrefix' | 'enabled' | 'status' | 'routes'>;

/** The route table as the gateway keeps it: each module's routing fields. */
export interface RouteTableSnapshot extends Pick<RouteTable, 'revision'> {
  readonly modules: readonly ModuleRoute[];
}

export interface RoutableModule extends ModuleRoute {
  /** Its origin as the one instance forwarding goes to, with its keep-alive pool. */
  readonly instances: UpstreamInstances;
  /** The baseUrl's path, prefixed to every forwarded path. */
  readonly basePath: string;
}

export interface ModulePoolOptions {
  /** Keep-alive connections per module origin. */
  readonly connections: number;
  /**
   * Opens every connection to a module: the kit's guarded connector, which refuses addresses the
   * address policy forbids when the connection is made, not only when the registry checked the
   * URL (a name can resolve elsewhere by now).
   */
  readonly connect: buildConnector.connector;
}

/**
 * The gateway's copy of the registry's route table, replaced whole on every change, with one
 * keep-alive pool per module origin (kept across changes, closed when its last module goes).
 */
export class ModuleTable {
  private modules = new Map<string, RoutableModule>();
  private readonly pools = new Map<string, UpstreamInstances>();
  private revisionSeen = -1;
  private readonly poolOptions: ModulePoolOptions;

  constructor(poolOptions: ModulePoolOptions) {
    this.poolOptions = poolOptions;
  }

  get revision(): number {
    return this.revisionSeen;
  }

  /** Whether a route table has arrived yet (until then module routes answer 503). */
  get loaded(): boolean {
    return this.revisionSeen >= 0;
  }

  /** Every module in the table, for /health/detailed. */
  list(): RoutableModule[] {
    return [...this.modules.values()];
  }

  find(moduleId: string): RoutableModule | undefined {
    return this.modules.get(moduleId);
  }

  replace(snapshot: RouteTableSnapshot): void {
    const next = new Map<string, RoutableModule>();
    for (const module of snapshot.modules) {
      const url = new URL(module.baseUrl);
      let instances = this.pools.get(url.origin);
      if (!instances) {
        const pool = new Pool(url.origin, { connections: this.poolOptions.connections, keepAliveTimeout: 10_000, connect: this.poolOptions.connect });
        instances = new UpstreamInstances(url.origin, [new UpstreamInstance(url.origin, url.host, pool)], undefined);
        this.pools.set(url.origin, instances);
      }
      next.set(module.moduleId, { ...module, instances, basePath: url.pathname.replace(/\/$/, '') });
    }
    const used = new Set([...next.values()].map((module) => new URL(module.baseUrl).origin));
    for (const [origin, instances] of this.pools) {
      if (!used.has(origin)) {
        this.pools.delete(origin);
        void instances.close();
      }
    }
    this.modules = next;
    this.revisionSeen = snapshot.revision;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((instances) => instances.close()));
    this.pools.clear();
    this.modules.clear();
  }
}

/**
 * The permission a request to a module needs: the most specific rule (longest path prefix) whose
 * method matches; without one, reads need `<module>:read` and everything else `<module>:write`.
 * HEAD is GET without a body — servers answer it with the GET handler — so GET rules cover HEAD
 * too (a HEAD rule of the same prefix wins over them, `*` loses to both).
 */
export function requiredPermission(module: Pick<ModuleRoute, 'moduleId' | 'routes'>, method: string, path: string): string {
  const methodRank = (ruleMethod: string): number => (ruleMethod === method ? 0 : method === 'HEAD' && ruleMethod === 'GET' ? 1 : ruleMethod === '*' ? 2 : -1);
  const candidates = module.routes
    .filter((rule) => methodRank(rule.method) >= 0 && (path === rule.pathPrefix || path.startsWith(rule.pathPrefix.endsWith('/') ? rule.pathPrefix : `${rule.pathPrefix}/`) || rule.pathPrefix === '/'))
    .sort((a, b) => b.pathPrefix.length - a.pathPrefix.length || methodRank(a.method) - methodRank(b.method));
  const rule = candidates[0];
  if (rule) return rule.permission;
  return method === 'GET' || method === 'HEAD' ? `${module.moduleId}:read` : `${module.moduleId}:write`;
}
