import type { SharedState } from '@lift/kit';

/**
 * The route table's revision is bumped (`store.bumpRevision`) in the same transaction as every
 * change the gateway must see (a module registered, changed, enabled, disabled, removed, or its
 * health flipping), then announced here so long-polls on every registry replica wake up.
 */
export const changesChannel = 'registry:changes';

export async function announce(state: SharedState, revision: number): Promise<void> {
  await state.publish(changesChannel, String(revision));
}
