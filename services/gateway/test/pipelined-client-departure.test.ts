import { connect, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { startHttpUpstream } from '../../../tests/support/faulty-upstream.js';
import { buildGateway, signedIn } from './helper.js';

// Regression (issue #21, review of the client-departure fix): it watched the ServerResponse's 'close'. Node emits it only
// for the response the socket is writing; a pipelined request waiting for its turn never gets it,
// so its upstream connection is held until the timeout although the client is gone.
describe('a client that pipelines two requests and goes away', () => {
  it('frees both upstream connections at once', async () => {
    const held: Socket[] = [];
    const memory = await startHttpUpstream((request) => {
      held.push(request.socket);
      request.resume();
    });
    const gateway = await buildGateway({ MEMORY_SERVICE_URL: memory.url, UPSTREAM_TIMEOUT_MS: '30000', UPSTREAM_CONNECTIONS: '4' });
    await gateway.listen({ host: '127.0.0.1', port: 0 });
    closeWhenDone(() => gateway.close());
    const port = (gateway.server.address() as AddressInfo).port;
    const { authorization } = await signedIn(['memory:read']);
    const client = connect(port, '127.0.0.1');
    client.on('error', () => undefined);
    await new Promise((resolve) => client.once('connect', resolve));
    const get = (n: number) => `GET /memory/v1/items?n=${n} HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\n\r\n`;
    client.write(get(1) + get(2));
    await vi.waitFor(() => expect(memory.received).toHaveLength(2), { timeout: 5_000 });
    client.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(held.map((socket) => socket.destroyed)).toEqual([true, true]);
  });
});
