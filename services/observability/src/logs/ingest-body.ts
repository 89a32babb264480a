import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InvalidInputError, kitErrorCodes, LiftError } from '@lift/kit';
import type { Admission } from './ingestion-gate.js';

/** The media types POST /v1/logs reads. */
export const ingestMediaTypes = ['application/x-ndjson', 'application/json'] as const;

export type BodyEncoding = 'identity' | 'gzip';

/** A body's Content-Type checked before it is read: one of the two this route parses, or 415 saying which they are. */
export function checkIngestMediaType(contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === undefined || !(ingestMediaTypes as readonly string[]).includes(type)) {
    throw new LiftError(
      415,
      kitErrorCodes.unsupportedMediaType,
      'Unsupported media type',
      'A log batch is application/x-ndjson (one JSON line per line) or application/json ({ "items": [...] }); send the body as one of them.',
    );
  }
}

/** A body's Content-Encoding: none (identity) or gzip, which shippers (Vector, Fluent Bit) send; any other is a 415 naming it. */
export function bodyEncodingOf(header: string | undefined): BodyEncoding {
  const encoding = (header ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return 'identity';
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  throw new LiftError(415, kitErrorCodes.unsupportedMediaType, 'Unsupported media type', `Content-Encoding ${encoding.slice(0, 40)} is not accepted here; send the batch uncompressed or as gzip.`);
}

export interface BodyLimits {
  readonly maxBytes: number;
  /** The answer for a body over `maxBytes` (after decompression). */
  readonly tooLarge: () => LiftError;
  /** The answer for a body the in-flight budget cannot hold. */
  readonly overloaded: () => LiftError;
}

/**
 * The body as the parser reads it: decompressed when gzip, each chunk counted — against
 * `maxBytes` (decompressed, so a zip bomb stops at the limit, not at memory's end) and, when its
 * length was not announced, against the admission's share of the in-flight budget.
 */
export function countedBody(payload: Readable, encoding: BodyEncoding, admission: Admission, reserved: boolean, limits: BodyLimits): Readable {
  let decoded = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      decoded += chunk.length;
      if (decoded > limits.maxBytes) return callback(limits.tooLarge());
      if (!reserved && !admission.grow(chunk.length)) return callback(limits.overloaded());
      callback(null, chunk);
    },
  });
  if (encoding === 'identity') return payload.pipe(counter);
  let encoded = 0;
  const gunzip = createGunzip();
  payload.on('data', (chunk: Buffer) => {
    encoded += chunk.length;
    // Fastify compares the bytes that came in, not those decoded, with Content-Length.
    Object.assign(counter, { receivedEncodedLength: encoded });
  });
  gunzip.on('error', () => counter.destroy(new InvalidInputError(kitErrorCodes.malformedBody, 'The body is not valid gzip (Content-Encoding: gzip); send it compressed whole, or uncompressed without the header.', { field: 'body' })));
  counter.on('error', () => gunzip.destroy());
  return payload.pipe(gunzip).pipe(counter);
}
