import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';

/**
 * One instance of a service behind the gateway, as the multi-instance tests need it: it answers
 * /ready with `readyStatus`, records the other requests (not /openapi.json), can hold their answers (a slow or busy
 * instance), can be killed — listener closed, open sockets destroyed, as SIGKILL leaves it — and
 * started again on the same port.
 */
export async function startInstance(name: string) {
  const received: string[] = [];
  /** The body of each request in `received`, in the same order. */
  const bodies: string[] = [];
  const held: ServerResponse[] = [];
  const state = { readyStatus: 200, answerStatus: 200, hold: false, delayMs: 0, probes: 0 };
  const answer = (response: ServerResponse) => {
    if (response.destroyed) return;
    response.writeHead(state.answerStatus, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ instance: name }));
  };
  let requestsOpen = 0;
  const server = createServer((request, response) => {
    requestsOpen += 1;
    response.once('close', () => (requestsOpen -= 1));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/ready') {
        state.probes += 1;
        response.writeHead(state.readyStatus, { 'content-type': 'application/json' });
        response.end('{}');
        return;
      }
      // The document the gateway may read is not what a test counts.
      if (request.url === '/openapi.json') {
        response.writeHead(404).end();
        return;
      }
      received.push(`${request.method ?? ''} ${request.url ?? ''}`);
      bodies.push(Buffer.concat(chunks).toString());
      if (state.hold) held.push(response);
      else if (state.delayMs > 0) setTimeout(() => answer(response), state.delayMs);
      else answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let listening = true;
  const kill = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closeWhenDone(kill);
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    label: `127.0.0.1:${port}`,
    received,
    bodies,
    state,
    /** Requests whose head arrived and whose connection is still open (an upload in progress, a held answer). */
    requestsOpen: () => requestsOpen,
    /** Answers every held request. */
    release() {
      for (const response of held.splice(0)) answer(response);
    },
    kill,
    async restart() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      listening = true;
    },
  };
}

export type InstanceStandIn = Awaited<ReturnType<typeof startInstance>>;
