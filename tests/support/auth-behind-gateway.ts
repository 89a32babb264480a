import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startServiceProcess, waitUntilReady, type ServiceProcess } from './service-process.js';

export interface AuthBehindGateway {
  readonly auth: ServiceProcess;
  readonly gateway: ServiceProcess;
  stop(): Promise<void>;
}

/** A port nothing listens on: the services a suite does not start. */
const closedPort = 'http://127.0.0.1:9';

/**
 * The real auth process behind the real gateway, and nothing else: the other services point at a
 * closed port, so no request of the suite reaches a seed port. For the console's session as a
 * browser meets it (Set-Cookie, Cookie and x-csrf-token through the edge).
 */
export async function startAuthBehindGateway(settings: { auth?: Record<string, string>; gateway?: Record<string, string> } = {}): Promise<AuthBehindGateway> {
  const [authPort, gatewayPort] = await Promise.all([freePort(), freePort()]);
  const publicUrl = `http://127.0.0.1:${gatewayPort}/`;
  // One folder for both, removed when they stop: auth's database and its mails (sign-up links) stay nowhere.
  const cwd = mkdtempSync(join(tmpdir(), 'lift-auth-behind-gateway-'));
  const auth = startServiceProcess({ name: 'auth', port: authPort, cwd, env: { PUBLIC_URL: publicUrl, REGISTRY_SERVICE_URL: '', GATEWAY_URL: '', ...settings.auth } });
  const gateway = startServiceProcess({
    name: 'gateway',
    port: gatewayPort,
    cwd,
    env: {
      PUBLIC_URL: publicUrl,
      AUTH_SERVICE_URL: auth.url,
      BILLING_SERVICE_URL: closedPort,
      MEMORY_SERVICE_URL: closedPort,
      OBSERVABILITY_SERVICE_URL: closedPort,
      REGISTRY_SERVICE_URL: closedPort,
      USAGE_METERING: 'false',
      ...settings.gateway,
    },
  });
  const stop = async () => {
    await Promise.all([gateway.stop(), auth.stop()]);
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    await Promise.all([waitUntilReady(auth), waitUntilReady(gateway)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { auth, gateway, stop };
}
