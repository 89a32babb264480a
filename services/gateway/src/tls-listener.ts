import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@lift/kit';

export interface TlsListenerOptions {
  /** A ready app: its routes, hooks and error handling serve HTTPS exactly as they serve HTTP. */
  readonly app: FastifyInstance;
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
}

export interface TlsListener {
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish, resolves when the last connection is gone. */
  close(): Promise<void>;
}

/**
 * A second, HTTPS, listener for the same Fastify app: each request goes to the app's own request
 * handler, so routes, hooks and the 503-while-closing behaviour are shared, and `request.protocol`
 * is `https` because the socket is encrypted (X-Forwarded-Proto still wins from a trusted proxy).
 * The plain server's timeouts and client-error handling are copied, so both listeners behave alike.
 */
export async function startTlsListener(options: TlsListenerOptions): Promise<TlsListener> {
  const { app } = options;
  let closing = false;
  const server: Server = createServer({ cert: options.cert, key: options.key }, (request, response) => {
    if (closing) response.setHeader('connection', 'close');
    app.routing(request, response);
  });
  const plain = app.server;
  server.keepAliveTimeout = plain.keepAliveTimeout;
  server.requestTimeout = plain.requestTimeout;
  server.headersTimeout = plain.headersTimeout;
  server.maxRequestsPerSocket = plain.maxRequestsPerSocket;
  server.setTimeout(plain.timeout);
  for (const listener of plain.listeners('clientError')) server.on('clientError', listener as (...args: unknown[]) => void);

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(new Error(`the HTTPS listener could not start on ${options.host}:${options.port}: ${error.message}`, { cause: error }));
    server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.off('error', failed);
      resolve();
    });
  });

  let closed: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        closing = true;
        // A connection whose answer is still being written would otherwise idle for the whole
        // keep-alive timeout before close() could finish.
        server.keepAliveTimeout = 1;
        server.close(() => resolve());
        server.closeIdleConnections();
      })),
  };
}

export interface TlsAlongsideOptions extends Omit<TlsListenerOptions, 'app'> {
  readonly log: Logger;
}

/**
 * Ties the HTTPS listener to the app's life: it starts when the app is ready (so a port in use
 * fails `listen`, and the start with it) and drains with the app on close.
 */
export function serveTlsAlongside(app: FastifyInstance, options: TlsAlongsideOptions): void {
  let listener: TlsListener | undefined;
  app.addHook('onReady', async () => {
    listener = await startTlsListener({ ...options, app });
    options.log.info({ port: listener.port }, 'gateway listening for HTTPS');
  });
  let closing: Promise<void> | undefined;
  // preClose: new TLS connections stop together with plain ones; onClose: wait for the drain.
  app.addHook('preClose', async () => void (closing = listener?.close()));
  app.addHook('onClose', async () => {
    await (closing ?? listener?.close());
  });
}
