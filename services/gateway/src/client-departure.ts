import type { ServerResponse } from 'node:http';

/**
 * Whether the client's connection is gone: nothing more can reach it. A response still waiting
 * for its turn on a pipelined connection has no socket yet, and is not gone.
 */
export function clientGone(response: ServerResponse): boolean {
  return response.destroyed || response.socket?.destroyed === true;
}

/**
 * Calls `leave` once if the client's connection closes before its answer was written in full;
 * returns what stops watching. A request waiting on a hung upstream would otherwise hold one of
 * the upstream's connections until the timeout after its client gave up (Envoy resets the
 * upstream request when the downstream one goes away).
 */
export function whenClientLeaves(response: ServerResponse, leave: () => void): () => void {
  const closed = (): void => {
    if (!response.writableFinished) leave();
  };
  response.once('close', closed);
  return () => response.off('close', closed);
}
