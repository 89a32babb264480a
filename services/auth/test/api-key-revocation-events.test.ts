import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { startStandIn } from '../../../tests/support/stand-in-server.js';
import { backends, bearer, buildAuth, registerUser } from './helper.js';

/** A stand-in gateway inbox recording what auth's outbox relay delivers. */
async function startInbox() {
  const inbox = await startStandIn((_request, response) => void response.writeHead(204).end());
  return {
    url: inbox.url,
    get deliveries() {
      return inbox.received
        .filter((request) => request.url === '/v1/events/revocations')
        .map((request) => ({ authorization: String(request.headers.authorization), events: (JSON.parse(request.body) as { events: { type: string; data: Record<string, unknown> }[] }).events }));
    },
  };
}

describe.each(backends)('API-key revocations on $name', ({ postgres }) => {
  it('are published for the gateway as soon as a key is revoked', async () => {
    const inbox = await startInbox();
    const { app, state } = await buildAuth({
      postgres,
      clock: { now: () => Date.now() },
      env: { GATEWAY_URL: inbox.url, REVOCATION_OUTBOX_FILE: join(mkdtempSync(join(tmpdir(), 'lift-auth-outbox-')), 'outbox.db') },
    });
    const owner = await registerUser(app, 'ada@example.com');
    const key = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(owner), payload: { name: 'ci', permissions: ['memory:read'] } })).json();
    const streamStart = postgres ? await state.lastStreamId('revocations') : undefined;
    expect((await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: bearer(owner) })).statusCode).toBe(204);

    const expected = { type: 'lift.auth.api-key.revoked', data: { apiKeyId: key.id, organisationId: owner.organisationId, reason: 'revoked' } };
    if (postgres) {
      // With Redis: on the revocation stream every gateway replica reads.
      await expect.poll(async () => (await state.readStream('revocations', streamStart as string)).length, { timeout: 1_000 }).toBe(1);
      const [entry] = await state.readStream('revocations', streamStart as string);
      expect(JSON.parse(entry?.fields.events ?? '[]')).toEqual([expect.objectContaining(expected)]);
    } else {
      // Without Redis: relayed to the gateway's inbox, as auth itself (svc:auth, gateway:revocations).
      await expect.poll(() => inbox.deliveries.length, { timeout: 1_000 }).toBe(1);
      expect(inbox.deliveries[0]?.events).toEqual([expect.objectContaining(expected)]);
      expect(decodeJwt(inbox.deliveries[0]?.authorization.replace('Bearer ', '') ?? '')).toMatchObject({ sub: 'svc:auth', org: 'platform', perms: ['gateway:revocations'] });
    }
    // Removing a member publishes their keys too: a key acts for its creator, who is gone.
    await registerUser(app, 'grace@example.com');
    const added = (await app.inject({ method: 'POST', url: `/v1/organisations/${owner.organisationId}/members`, headers: bearer(owner), payload: { email: 'grace@example.com', role: 'admin' } })).json();
    const grace = (await app.inject({ method: 'POST', url: '/v1/login', payload: { email: 'grace@example.com', password: 'a long enough passphrase', organisationId: owner.organisationId } })).json();
    const graceKey = (await app.inject({ method: 'POST', url: '/v1/api-keys', headers: bearer(grace), payload: { name: 'grace', permissions: ['memory:read'] } })).json();
    expect((await app.inject({ method: 'DELETE', url: `/v1/organisations/${owner.organisationId}/members/${added.userId}`, headers: bearer(owner) })).statusCode).toBe(204);
    const published = async () =>
      postgres
        ? (await state.readStream('revocations', streamStart as string)).flatMap((entry) => JSON.parse(entry.fields.events ?? '[]') as { data: Record<string, unknown> }[])
        : inbox.deliveries.flatMap((delivery) => delivery.events);
    await expect.poll(async () => (await published()).length, { timeout: 1_000 }).toBe(2);
    expect((await published())[1]?.data).toEqual({ apiKeyId: graceKey.id, organisationId: owner.organisationId, reason: 'creator-removed' });
    // Revoking again changes nothing and publishes nothing more.
    await app.inject({ method: 'DELETE', url: `/v1/api-keys/${key.id}`, headers: bearer(owner) });
    expect(await published()).toHaveLength(2);
  });
});
