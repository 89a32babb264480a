import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { rawRequest } from '../support/raw-request.js';

// Issue #13 as a module would use it: through the real gateway process, with real tokens from
// the real auth process — two tenants, parallel bursts, odd spellings and hostile bodies.
let stack: PlatformStack;
beforeAll(async () => {
  stack = await startPlatformStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface Session {
  readonly accessToken: string;
  readonly organisationId: string;
}

const call = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
  fetch(`${stack.gateway.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
const register = async (email: string): Promise<Session> => {
  const answer = await call('/auth/v1/register', { body: { email, password: 'a long enough passphrase' } });
  expect(answer.status).toBe(201);
  return (await answer.json()) as Session;
};

describe('the memory service through the real gateway', () => {
  it('stores and finds in every mode, for one tenant only, under a parallel burst', async () => {
    const [ada, grace] = await Promise.all([register('ada@memory.example'), register('grace@memory.example')]);
    const texts = Array.from({ length: 20 }, (_, index) => `Incident ${index}: the payment webhook retried too quickly and timed out`);
    const stored = await Promise.all(texts.map((content) => call('/memory/v1/memories', { token: ada.accessToken, body: { content, type: 'incident', tags: ['billing'] } })));
    expect(stored.map((answer) => answer.status)).toEqual(texts.map(() => 201));
    const first = (await stored[0]?.json()) as { id: string; source: string };
    // The source is the caller, from its token, never from the body.
    expect(first.source).not.toBe('');

    const searches = await Promise.all(
      (['hybrid', 'neural', 'fulltext', 'knowledge'] as const).flatMap((mode) => [ada, grace].map((session) => call('/memory/v1/search', { token: session.accessToken, body: { query: 'payment webhook timed out', mode, limit: 5 } }))),
    );
    const answers = (await Promise.all(searches.map(async (answer) => ({ status: answer.status, body: (await answer.json()) as { items: { memory: { id: string } }[] } })))).map((answer, index) => ({ ...answer, tenant: index % 2 === 0 ? 'ada' : 'grace' }));
    for (const answer of answers) expect(answer.status).toBe(200);
    for (const answer of answers.filter((entry) => entry.tenant === 'ada')) expect(answer.body.items.length).toBeGreaterThan(0);
    // Knowledge needs relations to walk; the others find Ada's incidents. Grace finds nothing of them.
    for (const answer of answers.filter((entry) => entry.tenant === 'grace')) expect(answer.body.items).toEqual([]);

    const foreign = await call(`/memory/v1/memories/${first.id}`, { token: grace.accessToken });
    const missing = await call('/memory/v1/memories/00000000-0000-4000-8000-000000000000', { token: grace.accessToken });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ code: 'MEMORY_NOT_FOUND' });
    expect(((await missing.json()) as { detail: string }).detail).toBe('No memory with that id in your organisation.');
  });

  it('reaches the same routes by encoded and dotted spellings, and refuses ambiguous ones at the edge', async () => {
    const lin = await register('lin@memory.example');
    const spelled = await call('/memory/v1/%73earch', { token: lin.accessToken, body: { query: 'anything at all' } });
    expect(spelled.status).toBe(200);
    // Sent as written (fetch would resolve the dots before sending).
    const raw = (path: string) => rawRequest(stack.gateway.url, { path, method: 'POST', headers: { authorization: `Bearer ${lin.accessToken}`, 'content-type': 'application/json' }, body: '{"query":"anything at all"}' });
    expect((await raw('/memory/v1/memories/../search')).status).toBe(200);
    expect((await raw('/memory//v1/./search')).status).toBe(200);
    expect((await raw('/memory/v1/memories%2F..%2Fsearch')).status).toBe(400);
  });

  it('answers hostile bodies with a problem naming the field, never a 5xx', async () => {
    const mia = await register('mia@memory.example');
    const cases: { body: unknown; field: string }[] = [
      { body: { content: 'before\u0000after' }, field: 'body.content' },
      { body: { content: 'deep', metadata: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } } }, field: 'body.metadata' },
      { body: { content: 'x', source: 'module:someone-else' }, field: 'body.source' },
      { body: { content: '' }, field: 'body.content' },
    ];
    for (const { body, field } of cases) {
      const answer = await call('/memory/v1/memories', { token: mia.accessToken, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      // A rule of the service names one field; the schema's validation lists each (`errors`).
      const problem = (await answer.json()) as { field?: string; errors?: { field: string }[] };
      expect([problem.field, ...(problem.errors ?? []).map((error) => error.field)]).toContain(field);
    }
    const badJson = await fetch(`${stack.gateway.url}/memory/v1/search`, { method: 'POST', headers: { authorization: `Bearer ${mia.accessToken}`, 'content-type': 'application/json' }, body: '{"query":' });
    expect(badJson.status).toBe(400);
  });

  it('refuses missing, tampered and revoked credentials at the edge, and forged identity headers change nothing', async () => {
    const eve = await register('eve@memory.example');
    const search = (headers: Record<string, string>) => fetch(`${stack.gateway.url}/memory/v1/search`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"anything"}' });
    expect((await search({})).status).toBe(401);
    const [head, payload, signature] = eve.accessToken.split('.') as [string, string, string];
    const tampered = `${head}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await search({ authorization: `Bearer ${tampered}` })).status).toBe(401);
    // Another organisation named in headers is ignored: the token says whose memory it is.
    const stored = await call('/memory/v1/memories', { token: eve.accessToken, body: { content: 'eve keeps this to herself' } });
    const mine = (await stored.json()) as { id: string };
    const mallory = await register('mallory@memory.example');
    const forged = await fetch(`${stack.gateway.url}/memory/v1/memories/${mine.id}`, { headers: { authorization: `Bearer ${mallory.accessToken}`, 'x-lift-organisation': eve.organisationId, 'x-organisation-id': eve.organisationId } });
    expect(forged.status).toBe(404);
    // A revoked API key's tokens stop at the gateway.
    const key = (await (await call('/auth/v1/api-keys', { token: eve.accessToken, body: { name: 'memory reader', permissions: ['memory:read'] } })).json()) as { id: string; key: string };
    const keyToken = ((await (await call('/auth/v1/api-keys/exchange', { body: { apiKey: key.key } })).json()) as { accessToken: string }).accessToken;
    expect((await search({ authorization: `Bearer ${keyToken}` })).status).toBe(200);
    expect((await call(`/auth/v1/api-keys/${key.id}`, { method: 'DELETE', token: eve.accessToken })).status).toBe(204);
    await expect.poll(async () => (await search({ authorization: `Bearer ${keyToken}` })).status, { timeout: 3_000, interval: 50 }).toBe(401);
  });
});
