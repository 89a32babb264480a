import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const requestIdHeader = 'x-request-id';

// A caller's id is kept only when it is short and plain, so it cannot forge log lines.
const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFor(request: IncomingMessage): string {
  const header = request.headers[requestIdHeader];
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && acceptableRequestId.test(given) ? given : randomUUID();
}
