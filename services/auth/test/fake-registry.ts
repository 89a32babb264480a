import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

export interface FakeModuleEntry {
  readonly moduleId: string;
  readonly roles: Record<string, string[]>;
  readonly memoryRequirements?: { read: boolean; write: boolean } | null;
}

/** A stand-in registry whose route table carries what the real one's does for auth: role grants and memory requirements. */
export async function startFakeRegistry(modules: readonly FakeModuleEntry[]) {
  const seen: string[] = [];
  let answering = true;
  const server = createServer((request, response) => {
    seen.push(String(request.headers.authorization));
    if (!answering) return response.writeHead(503).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ revision: 1, modules }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, stop: () => void (answering = false) };
}
