import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RawRequestOptions {
  readonly method?: string;
  /** Sent on the wire exactly as given: `..`, `%2e`, `\`, `;` and `#` included. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Gives up (rejects) when the answer has not come, or stalls, this long: a hang is a finding, not a stuck run. */
  readonly timeoutMs?: number;
}

/**
 * An HTTP request whose path is not cleaned up first — fetch (WHATWG URL) and app.inject resolve
 * dot segments and turn backslashes into slashes before anything is sent, as an attacker's
 * client would not.
 */
export function rawRequest(origin: string, options: RawRequestOptions): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: { connection: 'close', ...options.headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    }
    outgoing.end(options.body);
  });
}
