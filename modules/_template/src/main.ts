import { readFileSync } from 'node:fs';
import { ConfigError, createLogger, environmentWithEnvFile, loadConfig, systemClock } from '@lift/kit';
import { createLiftClient, joinPlatform, memoryClient, moduleTokenVerifier, platformTokens, type ModuleManifest } from '@lift/sdk';
import { buildApp } from './app.js';
import { templateConfigSchema } from './config.js';

// A module's entry point: read config, serve, join the platform, leave gracefully.
const env = environmentWithEnvFile(process.env, '.env.local');
const config = await loadConfig(templateConfigSchema, { env }).catch((error: unknown) => {
  if (error instanceof ConfigError) for (const problem of error.problems) process.stderr.write(`template: configuration error: ${problem}\n`);
  else process.stderr.write(`template: ${String(error)}\n`);
  process.exit(1);
});
const log = createLogger({ service: 'template', version: '0.1.0', level: config.LOG_LEVEL });
/** One token cache for the module: the platform client and the memory client share it. */
function platformFor(gatewayUrl: string) {
  const tokens = platformTokens({ gatewayUrl });
  return { tokens, client: createLiftClient({ gatewayUrl }), memory: memoryClient({ gatewayUrl, tokens }) };
}
const manifest = JSON.parse(readFileSync(new URL('../module.json', import.meta.url), 'utf8')) as ModuleManifest;
const app = await buildApp({
  config,
  log,
  clock: systemClock,
  verifier: moduleTokenVerifier({ gatewayUrl: config.LIFT_GATEWAY_URL, moduleId: manifest.moduleId }),
  platform: platformFor(config.LIFT_GATEWAY_URL),
});
await app.listen({ host: config.HOST, port: config.PORT });

const baseUrl = config.MODULE_BASE_URL ?? `http://127.0.0.1:${config.PORT}`;
let membership: { stop(): void } | undefined;
if (config.LIFT_API_KEY) {
  membership = await joinPlatform({ gatewayUrl: config.LIFT_GATEWAY_URL, apiKey: config.LIFT_API_KEY, manifest: { ...manifest, baseUrl }, onError: (error) => log.warn({ err: error }, 'heartbeat failed') });
  log.info({ moduleId: manifest.moduleId, baseUrl }, 'joined the platform');
} else {
  log.warn('LIFT_API_KEY is not set: serving without registering with the platform');
}

const stop = async (): Promise<void> => {
  membership?.stop();
  app.readiness.markShuttingDown();
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
