import type { ServerResponse } from 'node:http';

/**
 * Whether the client's connection is gone: nothing more can reach it. A response still waiting
 * for its turn on a pipelined connection has no socket of its own yet: its request's is looked at.
 */
export function clientGone(response: ServerResponse): boolean {
  return response.destroyed || response.socket?.destroyed === true || response.req.socket?.destroyed === true;
}

/**
 * Calls `leave` once if the client's connection closes before its answer was written in full;
 * returns what stops watching. A request waiting on a hung upstream would otherwise hold one of
 * the upstream's connections until the timeout after its client gave up (Envoy resets the
 * upstream request when the downstream one goes away).
 *
 * The request's socket is watched as well as the response: Node emits 'close' only on the
 * response the connection is writing now, never on one queued behind it on a pipelined connection.
 */
export function whenClientLeaves(response: ServerResponse, leave: () => void): () => void {
  let left = false;
  const closed = (): void => {
    if (left || response.writableFinished) return;
    left = true;
    leave();
  };
  const socket = response.req.socket;
  response.once('close', closed);
  socket?.once('close', closed);
  return () => {
    response.off('close', closed);
    socket?.off('close', closed);
  };
}
