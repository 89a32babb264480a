import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayBalanceView } from '../src/gateway-balance-view.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A stand-in gateway whose /metrics says what `exposition()` returns at each scrape. */
async function gatewayAnswering(exposition: () => string): Promise<string> {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end(exposition()));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const line = (upstream: string, instance: string, value: number) => `gateway_upstream_instance_available{service="gateway",upstream="${upstream}",instance="${instance}"} ${value}`;

describe('what the gateway says about the instances it balances', () => {
  it('waits until the gateway sends to every named instance, reading its own metrics', async () => {
    let scrapes = 0;
    const url = await gatewayAnswering(() => {
      scrapes += 1;
      return [line('auth', '127.0.0.1:8001', 1), line('auth', '127.0.0.1:8101', scrapes >= 3 ? 1 : 0), line('memory', '127.0.0.1:8101', 0)].join('\n');
    });
    const view = gatewayBalanceView(url, () => false, 10);
    expect(await view.waitUntilServed('auth', ['127.0.0.1:8001', '127.0.0.1:8101'], 5_000)).toBeUndefined();
    expect(scrapes).toBeGreaterThanOrEqual(3);
  });

  it('names the instance the gateway still does not send to when the time is up', async () => {
    const url = await gatewayAnswering(() => [line('auth', '127.0.0.1:8001', 0), line('auth', '127.0.0.1:8101', 1)].join('\n'));
    expect(await gatewayBalanceView(url, () => false, 10).waitUntilServed('auth', ['127.0.0.1:8101', '127.0.0.1:8001'], 100)).toBe('127.0.0.1:8001');
  });

  it('waits for nothing when no gateway answers or it balances nothing for that service (one instance)', async () => {
    const url = await gatewayAnswering(() => line('memory', '127.0.0.1:8003', 0));
    expect(await gatewayBalanceView(url, () => false, 10).waitUntilServed('auth', ['127.0.0.1:8001'], 5_000)).toBeUndefined();
    expect(await gatewayBalanceView('http://127.0.0.1:9', () => false, 10).waitUntilServed('auth', ['127.0.0.1:8001'], 5_000)).toBeUndefined();
    expect(await gatewayBalanceView(undefined).waitUntilServed('auth', ['127.0.0.1:8001'], 5_000)).toBeUndefined();
  });
});
