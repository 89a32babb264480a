import { LiftApiError, memoryClient } from '@lift/sdk';
import { describe, expect, it } from 'vitest';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { backends, buildMemory, moduleMember, testModuleAccess } from './helper.js';

// The SDK's memory client against memory's real routes: a stand-in gateway hands /memory/* to the
// app, and the module's platform token is the delegated one memory holds to the manifest.
describe.each(backends)('the SDK memory client superseding on $name', ({ postgres }) => {
  it('stores a new version, reads as of before it, and answers a second supersession with the 409', async () => {
    const { app, clock } = await buildMemory({ postgres, moduleAccess: testModuleAccess({ notes: { memoryTypes: ['note'], searchTypes: ['text'] } }) });
    const delegated = (await moduleMember('org-a', 'notes')).authorization as string;
    const gateway = await startStandIn((request, response) => {
      void app
        .inject({ method: request.method as 'GET', url: request.url.replace(/^\/memory/, ''), headers: { authorization: delegated, 'content-type': 'application/json' }, ...(request.body ? { payload: request.body } : {}) })
        .then((answer) => (answer.statusCode === 204 ? sendJson(response, 204, null) : sendJson(response, answer.statusCode, answer.json())));
    });
    const memory = memoryClient({ gatewayUrl: gateway.url, tokens: { tokenFor: async () => delegated.replace(/^Bearer /, '') } });

    const first = await memory.add('module-token', { content: 'The note says Monday', type: 'note' });
    const before = new Date(clock.now()).toISOString();
    clock.advance(1_000);
    const second = await memory.supersede('module-token', first.id, { content: 'The note says Tuesday' });
    expect(second).toMatchObject({ type: 'note', supersedes: first.id, validFrom: new Date(clock.now()).toISOString() });
    expect((await memory.get('module-token', first.id)).supersededBy).toBe(second.id);
    expect((await memory.list('module-token')).items.map((item) => item.id)).toEqual([second.id]);
    expect((await memory.list('module-token', { asOf: before })).items.map((item) => item.id)).toEqual([first.id]);
    expect((await memory.search('module-token', { query: 'note says', mode: 'fulltext', asOf: before })).items.map((hit) => hit.memory.id)).toEqual([first.id]);

    const again = await memory.supersede('module-token', first.id, { content: 'The note says Wednesday' }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(LiftApiError);
    expect(again).toMatchObject({ status: 409, code: 'MEMORY_ALREADY_SUPERSEDED' });
  });
});
