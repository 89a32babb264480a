import { baseUrlOf, type HttpClient, type Logger, type ServiceTokenSource, type UrlSource } from '@lift/kit';
import type { ModuleTable, RouteTableSnapshot } from './module-table.js';

export interface RouteTableFollowerOptions {
  readonly table: ModuleTable;
  readonly registryUrl: UrlSource;
  readonly tokens: ServiceTokenSource;
  readonly http: HttpClient;
  readonly log: Logger;
  /** How long one long poll may wait at the registry for a change. */
  readonly waitMs: number;
}

/**
 * Keeps the module table in step with the registry by long polling its route table: a change is
 * seen within the registry's wake-up time (milliseconds), not at the next poll, and no request ever
 * waits for the registry. Errors back off from 0.5 s to 30 s; the last table stays in use.
 */
export function followRouteTable(options: RouteTableFollowerOptions): { stop(): void; firstTable: Promise<void> } {
  let stopped = false;
  const cancel = new AbortController();
  let retryTimer: NodeJS.Timeout | undefined;
  let delayMs = 500;
  let resolveFirst: () => void = () => undefined;
  const firstTable = new Promise<void>((resolve) => (resolveFirst = resolve));

  const pollOnce = async (): Promise<void> => {
    const token = await options.tokens.token();
    const answer = await options.http.call(`${baseUrlOf(options.registryUrl)}/v1/route-table?after=${options.table.revision}&waitMs=${options.table.loaded ? options.waitMs : 0}`, {
      headers: { authorization: `Bearer ${token}` },
      timeoutMs: options.waitMs + 10_000,
      signal: cancel.signal,
    });
    if (answer.status !== 200) {
      await answer.text();
      if (answer.status === 401) options.tokens.refused(token);
      throw new Error(`registry answered ${answer.status}`);
    }
    const snapshot = await answer.json<RouteTableSnapshot>();
    if (snapshot.revision !== options.table.revision) {
      options.table.replace(snapshot);
      options.log.info({ revision: snapshot.revision, modules: snapshot.modules.length }, 'module route table updated');
    }
    resolveFirst();
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      try {
        await pollOnce();
        delayMs = 500;
      } catch (error) {
        if (stopped) return;
        options.log.warn({ err: error, retryInMs: delayMs }, 'following the registry\'s route table failed');
        await new Promise<void>((resolve) => (retryTimer = setTimeout(resolve, delayMs)));
        delayMs = Math.min(delayMs * 2, 30_000);
      }
    }
  };
  void loop();
  return {
    firstTable,
    stop: () => {
      stopped = true;
      clearTimeout(retryTimer);
      cancel.abort();
    },
  };
}
