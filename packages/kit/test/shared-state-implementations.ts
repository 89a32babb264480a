import { openSharedState, systemClock, type SharedState } from '../src/index.js';
import { testRedisUrl, uniqueName } from './backing-services.js';
import { skipUnless } from '../../../tests/support/skip-rule.js';
import { closeWhenDone } from './helper.js';

export interface SharedStateImplementation {
  readonly name: string;
  readonly enabled: boolean;
  /** A fresh state (Redis: its own key prefix, so parallel tests never meet), closed after the test. */
  open(): Promise<SharedState>;
}

/** Both implementations of the shared state, for one contract suite run on each; `suite` names it in the skip banner. */
export function sharedStateImplementations(suite: string): SharedStateImplementation[] {
  const opened = (open: () => Promise<SharedState>) => async () => {
    const state = await open();
    closeWhenDone(() => state.close());
    return state;
  };
  return [
    { name: 'in-process', enabled: true, open: opened(() => openSharedState({ REDIS_KEY_PREFIX: 'unused:' }, systemClock)) },
    {
      name: 'Redis',
      enabled: !skipUnless(testRedisUrl !== undefined, `${suite} on Redis`, 'TEST_REDIS_URL'),
      open: opened(() => openSharedState({ REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: `${uniqueName('lift-test')}:` }, systemClock)),
    },
  ];
}
