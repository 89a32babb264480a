import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';

/** Far more than a batch of the largest queries the memory service takes; past it the body is not held for counting. */
const maxCountedBodyBytes = 256 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** The body when the gateway had to start reading it before forwarding (to meter it): what it read, then the rest. */
    forwardedBody?: Readable;
  }
}

/**
 * How many searches a batch search is: the length of its `queries`. The gateway never parses
 * bodies otherwise; this one is read because the plan counts searches, not requests. At most
 * 256 KiB is held: a larger body counts as the most a batch may hold and streams on from there.
 * A body that is not such JSON counts as one search (memory answers it with a 400 anyway): the
 * body is parsed as memory's parser reads it, a leading byte-order mark included — counting a
 * body memory accepts as one search let 20 through for the price of one.
 * Either way the upstream gets the body unchanged (`forwardedBody`).
 */
export async function searchesInBatch(request: FastifyRequest, maxPerBatch: number): Promise<number> {
  const reader = (request.raw as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size <= maxCountedBodyBytes) {
    const next = await reader.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    const bytes = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(bytes);
    size += bytes.length;
  }
  request.forwardedBody = Readable.from(
    (async function* () {
      yield* chunks;
      // The iterator is only advanced, never closed early: what was not read yet still streams through.
      if (!ended) for (let next = await reader.next(); next.done !== true; next = await reader.next()) yield next.value;
    })(),
  );
  if (!ended) return maxPerBatch;
  try {
    // Fastify's parser (secure-json-parse) skips a UTF-8 byte-order mark; JSON.parse does not.
    const body = JSON.parse(Buffer.concat(chunks, size).toString('utf8').replace(/^\uFEFF/, '')) as { queries?: unknown };
    return Array.isArray(body.queries) ? body.queries.length : 1;
  } catch {
    return 1;
  }
}
