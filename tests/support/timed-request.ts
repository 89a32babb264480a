/** How a request ended for the client: its whole answer, an answer cut off, nothing by the deadline, or given up by the caller. */
export type Ending = 'complete' | 'cut' | 'hung' | 'abandoned';

export interface TimedAnswer {
  readonly ending: Ending;
  /** Undefined when not even the head came. */
  readonly status?: number;
  readonly contentType?: string;
  /** The bytes that arrived, all of them when `complete`. */
  readonly body: Buffer;
  /** From sending to the end of the answer (or the cut, or the deadline). */
  readonly ms: number;
}

export interface TimedRequestOptions extends Omit<RequestInit, 'signal'> {
  /** Past this, the request is abandoned and counts as `hung`: no test waits on a hang. */
  readonly deadlineMs: number;
  /** The caller giving up (its connection closes): the request counts as `abandoned`. */
  readonly signal?: AbortSignal;
  /** Called with the bytes of the body received so far, after each chunk. */
  readonly onBody?: (bytes: number) => void;
}

/**
 * One request whose outcome is recorded rather than thrown, so that a burst of them can be
 * judged together: a connection the gateway cuts is an outcome (`cut`), as is one it leaves
 * hanging (`hung`).
 */
export async function timedRequest(url: string, options: TimedRequestOptions): Promise<TimedAnswer> {
  const { deadlineMs, onBody, signal: givenUp, ...init } = options;
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = givenUp ? AbortSignal.any([deadline, givenUp]) : deadline;
  const started = performance.now();
  const chunks: Buffer[] = [];
  let status: number | undefined;
  let contentType: string | undefined;
  const answer = (ending: Ending): TimedAnswer => ({
    ending,
    ...(status === undefined ? {} : { status }),
    ...(contentType === undefined ? {} : { contentType }),
    body: Buffer.concat(chunks),
    ms: performance.now() - started,
  });
  try {
    const response = await fetch(url, { ...init, signal });
    status = response.status;
    contentType = response.headers.get('content-type') ?? undefined;
    if (response.body === null) return answer('complete');
    let bytes = 0;
    for await (const chunk of response.body) {
      chunks.push(Buffer.from(chunk));
      bytes += chunk.byteLength;
      onBody?.(bytes);
    }
    return answer('complete');
  } catch {
    if (givenUp?.aborted) return answer('abandoned');
    return answer(deadline.aborted ? 'hung' : 'cut');
  }
}

/** Runs `count` requests at once. */
export function burst(count: number, send: (index: number) => Promise<TimedAnswer>): Promise<TimedAnswer[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => send(index)));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
