import { createLiftClient, type LiftClient } from './lift-client.js';
import { LiftApiError } from './problem.js';
import type { ModuleManifest } from './wire/module-manifest.js';

export interface JoinPlatformOptions {
  readonly gatewayUrl: string;
  /** An API key with `registry:admin` (and `registry:heartbeat` for ttl modules), from a platform admin. */
  readonly apiKey: string;
  readonly manifest: ModuleManifest;
  readonly onError?: (error: unknown) => void;
  readonly fetch?: typeof fetch;
}

/**
 * What a module does on start: exchange its API key for a token, register its manifest (or update
 * it when it is registered already), and — for ttl health checks — send heartbeats at a third of
 * the ttl. Returns a handle that stops the heartbeats.
 */
export async function joinPlatform(options: JoinPlatformOptions): Promise<{ client: LiftClient; stop(): void }> {
  const client = createLiftClient({ gatewayUrl: options.gatewayUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  let cached: { token: string; renewAt: number } | undefined;
  const token = async (): Promise<string> => {
    if (cached && cached.renewAt > Date.now()) return cached.token;
    const exchanged = await client.auth.exchangeApiKey(options.apiKey);
    cached = { token: exchanged.accessToken, renewAt: Date.now() + Math.max(0, exchanged.expiresIn - 30) * 1000 };
    return exchanged.accessToken;
  };

  try {
    await client.registry.registerModule(await token(), options.manifest);
  } catch (error) {
    if (!(error instanceof LiftApiError) || error.code !== 'REGISTRY_MODULE_EXISTS') throw error;
    await client.registry.updateModule(await token(), options.manifest);
  }

  let timer: NodeJS.Timeout | undefined;
  const ttlSeconds = options.manifest.healthCheck?.type === 'ttl' ? options.manifest.healthCheck.ttlSeconds : undefined;
  if (ttlSeconds !== undefined) {
    const beat = async () => {
      try {
        await client.registry.heartbeat(await token(), options.manifest.moduleId);
      } catch (error) {
        options.onError?.(error);
      }
    };
    await beat();
    timer = setInterval(() => void beat(), (ttlSeconds * 1000) / 3);
    timer.unref();
  }
  return { client, stop: () => clearInterval(timer) };
}
