import { expect } from 'vitest';

export interface Writes {
  /** What each acknowledged write left to check: an id, an e-mail. */
  readonly acknowledged: string[];
  /** Writes refused or cut off while the service was down (never acknowledged). */
  failed: number;
  /** The last refusal, for the message when acknowledgements stop coming. */
  lastFailure: string;
}

export interface WritersUnderFire {
  readonly writes: Writes;
  stop(): Promise<Writes>;
}

/**
 * Writers sending one write after another until stopped. `write` resolves with what its
 * acknowledgement left to check, and throws when the platform refused or the connection was cut.
 */
export function writeUntilStopped(writers: number, write: () => Promise<string>): WritersUnderFire {
  const writes: Writes = { acknowledged: [], failed: 0, lastFailure: '' };
  const refused = async (why: string) => {
    writes.failed += 1;
    writes.lastFailure = why;
    // A client backs off a little when the platform refuses, as real ones do (and leaves the CPU to the restart).
    await new Promise((resolve) => setTimeout(resolve, 10));
  };
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        writes.acknowledged.push(await write());
      } catch (error) {
        await refused((error as Error).message);
      }
    }
  };
  const loops = Array.from({ length: writers }, loop);
  return {
    writes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return writes;
    },
  };
}

/** Until `count` more writes are acknowledged (a poll of the writers' progress, not a sleep for time). */
export async function untilAcknowledged(writes: Writes, count: number): Promise<void> {
  const target = writes.acknowledged.length + count;
  try {
    await expect.poll(() => writes.acknowledged.length, { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(target);
  } catch {
    // Said when it fails, not when the poll starts: the refusals are what explains it.
    throw new Error(`acknowledgements stopped at ${writes.acknowledged.length} of ${target} after ${writes.failed} refusals; the last: ${writes.lastFailure}`);
  }
}

/** The answer's body when its status is the acknowledgement expected; otherwise a refusal (thrown). */
export async function acknowledged<T>(answer: Response, status: number): Promise<T> {
  if (answer.status !== status) throw new Error(`${answer.status} ${(await answer.text()).slice(0, 200)}`);
  return (await answer.json()) as T;
}
