import type { RouteTable, RouteTableModule } from '@lift/sdk';
import { closeIdleConnectionsAfter } from '@lift/kit';
import { Pool, type buildConnector } from 'undici';
import type { OutlierDetection } from './outlier-detection.js';
import { UpstreamInstance } from './upstream-instance.js';
import { UpstreamInstances, type Balancing } from './upstream-instances.js';

/** One module as the registry's route table describes it (the SDK declares the table), as far as routing needs it. */
export type ModuleRoute = Pick<RouteTableModule, 'moduleId' | 'baseUrl' | 'replicaBaseUrls' | 'apiPrefix' | 'enabled' | 'status' | 'routes'>;

/** The route table as the gateway keeps it: each module's routing fields. */
export interface RouteTableSnapshot extends Pick<RouteTable, 'revision'> {
  readonly modules: readonly ModuleRoute[];
}

export interface RoutableModule extends ModuleRoute {
  /** Its instances (baseUrl's origin, then its replicas'), each with its keep-alive pool. */
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
  /** How long a module has to start answering (and between two chunks of its body): `UPSTREAM_TIMEOUT_MS`. */
  readonly timeoutMs: number;
  /** Ejects a replica that keeps failing (a module of one instance gets every request, as before). */
  readonly outliers: OutlierDetection;
  /** How replicas share requests (`UPSTREAM_BALANCING`). */
  readonly balancing: Balancing;
}

/**
 * The gateway's copy of the registry's route table, replaced whole on every change, with one
 * keep-alive pool per module origin (kept across changes, closed when its last module goes). A
 * module with replicas is balanced like a service of several instances, with passive outlier
 * detection only: its replicas are reached through the module address guard alone, never probed.
 */
export class ModuleTable {
  private modules = new Map<string, RoutableModule>();
  /** Each instance (origin and module path), whichever modules use it. */
  private readonly instances = new Map<string, UpstreamInstance>();
  /** The instance sets, by their origins in order: kept across changes, with what outlier detection knows. */
  private sets = new Map<string, UpstreamInstances>();
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
    const nextSets = new Map<string, UpstreamInstances>();
    for (const module of snapshot.modules) {
      const url = new URL(module.baseUrl);
      const basePath = url.pathname.replace(/\/$/, '');
      const origins = [url.origin];
      // The registry checked every replica; one that is no http(s) URL is skipped rather than failing the table.
      for (const replica of module.replicaBaseUrls ?? []) {
        const origin = httpOrigin(replica);
        if (origin !== undefined && !origins.includes(origin)) origins.push(origin);
      }
      // An instance is an origin and the module's path on it: two modules on one host are two
      // instances, so one module's failures never eject the other.
      const instanceKeys = origins.map((origin) => `${origin}${basePath}`);
      const key = instanceKeys.join(' ');
      let instances = nextSets.get(key) ?? this.sets.get(key);
      if (!instances) {
        const members = origins.map((origin, index) => this.instanceOf(origin, instanceKeys[index] as string));
        instances = new UpstreamInstances(key, members, members.length > 1 ? this.poolOptions.outliers : undefined, { returnWithoutProbe: true, balancing: this.poolOptions.balancing });
      }
      nextSets.set(key, instances);
      next.set(module.moduleId, { ...module, instances, basePath });
    }
    const used = new Set([...nextSets.values()].flatMap((set) => set.instances));
    for (const [key, instance] of this.instances) {
      if (!used.has(instance)) {
        this.instances.delete(key);
        void instance.pool.close();
      }
    }
    this.sets = nextSets;
    this.modules = next;
    this.revisionSeen = snapshot.revision;
  }

  async close(): Promise<void> {
    await Promise.all([...this.instances.values()].map((instance) => instance.pool.close()));
    this.instances.clear();
    this.sets.clear();
    this.modules.clear();
  }

  /** The instance at `key` (its origin and the module's path), made with its pool the first time. */
  private instanceOf(origin: string, key: string): UpstreamInstance {
    let instance = this.instances.get(key);
    if (!instance) {
      const { connections, connect, timeoutMs } = this.poolOptions;
      const pool = new Pool(origin, { connections, ...closeIdleConnectionsAfter(10_000), connect, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      instance = new UpstreamInstance(origin, new URL(origin).host, pool);
      this.instances.set(key, instance);
    }
    return instance;
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

function httpOrigin(raw: string): string | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
}
