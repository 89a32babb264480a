import { describe, expect, it } from 'vitest';
import { createLogger, followStream, openSharedState, systemClock, type SharedState, type StreamEntry } from '../src/index.js';
import { testRedisUrl, uniqueName } from './backing-services.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';
import { closeWhenDone } from './helper.js';

const implementations: { name: string; enabled: boolean; open: () => Promise<SharedState> }[] = [
  { name: 'in-process', enabled: true, open: () => openSharedState({ REDIS_KEY_PREFIX: 'unused:' }, systemClock) },
  {
    name: 'Redis',
    enabled: !skipUnless(testRedisUrl !== undefined, 'the stream follower on Redis', 'TEST_REDIS_URL'),
    open: () => openSharedState({ REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: `${uniqueName('lift-test')}:` }, systemClock),
  },
];
const log = createLogger({ service: 'kit', version: 'test', level: 'silent' });

for (const implementation of implementations) {
  describe.skipIf(!implementation.enabled)(`the broadcast stream follower: ${implementation.name}`, () => {
    it('gives every follower every entry after where it started, in order, and stops', async () => {
      const state = await implementation.open();
      closeWhenDone(() => state.close());
      await state.appendToStream('changes', { n: 'before' });
      const start = await state.lastStreamId('changes');
      const heard: Record<string, string[]> = { a: [], b: [] };
      const followers = (['a', 'b'] as const).map((name) =>
        followStream({ state, stream: 'changes', from: { afterId: start }, clock: systemClock, log, what: 'changes', blockMs: 50, apply: (entry: StreamEntry) => void heard[name]?.push(entry.fields.n as string) }),
      );
      closeWhenDone(async () => followers.forEach((follower) => follower.stop()));
      for (const n of ['1', '2', '3']) await state.appendToStream('changes', { n });
      await expect.poll(() => heard, { timeout: 2_000 }).toEqual({ a: ['1', '2', '3'], b: ['1', '2', '3'] });
    });

    it('goes on after an entry whose work fails, without applying it twice', async () => {
      const state = await implementation.open();
      closeWhenDone(() => state.close());
      const applied: string[] = [];
      const follower = followStream({
        state,
        stream: 'flaky',
        from: { afterId: await state.lastStreamId('flaky') },
        clock: systemClock,
        log,
        what: 'flaky changes',
        blockMs: 50,
        apply: (entry) => {
          if (entry.fields.n === 'bad') throw new Error('this entry cannot be applied');
          applied.push(entry.fields.n as string);
        },
      });
      closeWhenDone(async () => follower.stop());
      for (const n of ['first', 'bad', 'good']) await state.appendToStream('flaky', { n });
      await expect.poll(() => applied, { timeout: 2_000 }).toEqual(['first', 'good']);
    });
  });
}
