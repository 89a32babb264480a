import type { Agent, Dispatcher } from 'undici';
import { closeIdleConnectionsAfter } from './idle-connections.js';
import { requestIdHeader } from './request-id.js';
import { outgoingTraceparent, type TraceContext } from './trace-context.js';

/** The request an outgoing call belongs to: its trace and id travel with the call. */
export interface CallContext {
  readonly trace?: TraceContext;
  readonly requestId?: string;
}

export interface HttpCall {
  readonly method?: Dispatcher.HttpMethod;
  readonly headers?: Record<string, string>;
  /** Sent as JSON with the matching content type. */
  readonly json?: unknown;
  /** Sent as it is (set the content type in `headers`). */
  readonly body?: string;
  readonly timeoutMs?: number;
  readonly context?: CallContext;
  /** Cancels the call (a long poll at shutdown). */
  readonly signal?: AbortSignal;
  /** The most of the answer's body `text()`/`json()` read; past it they fail (a hostile or broken server cannot fill the memory). */
  readonly maxResponseBytes?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  json<T>(): Promise<T>;
  text(): Promise<string>;
}

export interface HttpClient {
  call(url: string, call?: HttpCall): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  readonly service: string;
  readonly version: string;
  readonly defaultTimeoutMs?: number;
}

/**
 * Service-to-service HTTP over pooled keep-alive connections (undici), passing on the caller's
 * W3C traceparent and request id so one request can be followed across services.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  // undici is loaded on the first call: most services make few calls, and it costs ~20 MB.
  let undici: Promise<{ agent: Agent; request: typeof import('undici').request }> | undefined;
  const load = () =>
    (undici ??= import('undici').then((loaded) => {
      // Bundled (esbuild), a CommonJS package's dynamic import puts its exports under `default`.
      const module = 'Agent' in loaded ? loaded : (loaded as unknown as { default: typeof loaded }).default;
      return { agent: new module.Agent({ ...closeIdleConnectionsAfter(10_000), connections: 64 }), request: module.request };
    }));
  const userAgent = `lift-${options.service}/${options.version}`;
  return {
    async call(url, call = {}) {
      const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json', ...call.headers };
      const traceparent = outgoingTraceparent(call.context?.trace);
      if (traceparent !== undefined) headers.traceparent = traceparent;
      if (call.context?.requestId) headers[requestIdHeader] = call.context.requestId;
      let body: string | undefined = call.body;
      if (call.json !== undefined) {
        body = JSON.stringify(call.json);
        headers['content-type'] = 'application/json';
      }
      const timeoutMs = call.timeoutMs ?? options.defaultTimeoutMs ?? 10_000;
      const { agent, request } = await load();
      const response = await request(url, {
        dispatcher: agent,
        method: call.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(call.signal ? { signal: call.signal } : {}),
      });
      const limit = call.maxResponseBytes;
      const text = async (): Promise<string> => {
        if (limit === undefined) return response.body.text();
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > limit) {
            response.body.destroy();
            throw new Error(`the answer is larger than ${limit} bytes`);
          }
          chunks.push(chunk);
        }
        return Buffer.concat(chunks, size).toString('utf8');
      };
      return {
        status: response.statusCode,
        headers: response.headers,
        json: async <T>() => (limit === undefined ? (response.body.json() as Promise<T>) : (JSON.parse(await text()) as T)),
        text,
      };
    },
    close: async () => {
      if (undici) await (await undici).agent.close();
    },
  };
}
