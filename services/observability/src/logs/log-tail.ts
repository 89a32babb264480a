import type { ServerResponse } from 'node:http';
import type { Logger, SharedState, Unsubscribe } from '@lift/kit';
import { lineMatches, logItem, type LogFilters } from './log-search.js';
import type { StoredLogLine } from '../store/log-store.js';

/** The channel every replica publishes its committed lines on, and every replica's tail hears. */
const channel = 'observability:logs';

interface TailClient {
  readonly filters: LogFilters;
  readonly response: ServerResponse;
  /** Events waiting for the socket to drain. */
  readonly pending: string[];
  waiting: boolean;
}

export interface LogTailSettings {
  readonly state: SharedState;
  readonly log: Logger;
  readonly heartbeatMs: number;
  /** Events held for a client that reads slowly; beyond it the client is disconnected. */
  readonly bufferLines: number;
  readonly maxClients: number;
}

/**
 * Live tail over SSE: lines committed on any replica are published through the shared state (Redis
 * pub/sub, or in-process), and each replica sends its own clients those their filters and
 * visibility let through. A client whose socket does not keep up is dropped once its buffer is full.
 */
export class LogTail {
  private readonly clients = new Set<TailClient>();
  private unsubscribe: Unsubscribe | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly settings: LogTailSettings) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.settings.state.subscribe(channel, (message) => this.deliver(message));
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) this.send(client, ': heartbeat\n\n');
    }, this.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  get full(): boolean {
    return this.clients.size >= this.settings.maxClients;
  }

  get size(): number {
    return this.clients.size;
  }

  /** Lines just committed here, for every replica's clients (this one's included). */
  async publish(lines: readonly StoredLogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.settings.state.publish(channel, JSON.stringify(lines));
  }

  /** Sends `response` (headers written already) the matching lines until it closes or is dropped. */
  add(response: ServerResponse, filters: LogFilters): void {
    const client: TailClient = { filters, response, pending: [], waiting: false };
    this.clients.add(client);
    response.on('close', () => this.clients.delete(client));
    response.on('drain', () => {
      client.waiting = false;
      while (client.pending.length > 0 && !client.waiting) this.send(client, client.pending.shift() as string);
    });
  }

  /** Ends every stream (the app closes: an open stream would hold the server open). */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.unsubscribe?.();
    for (const client of this.clients) client.response.end();
    this.clients.clear();
  }

  private deliver(message: string): void {
    if (this.clients.size === 0) return;
    let lines: StoredLogLine[];
    try {
      lines = JSON.parse(message) as StoredLogLine[];
    } catch (error) {
      this.settings.log.warn({ err: error }, 'a live-tail message was not JSON');
      return;
    }
    for (const client of this.clients) {
      for (const line of lines) if (lineMatches(line, client.filters)) this.send(client, `event: log\nid: ${line.id}\ndata: ${JSON.stringify(logItem(line))}\n\n`);
    }
  }

  private send(client: TailClient, event: string): void {
    if (client.waiting) {
      if (client.pending.length >= this.settings.bufferLines) {
        // Too slow: dropping it keeps this replica's memory bounded; it can reconnect and search the gap.
        this.clients.delete(client);
        client.response.destroy();
        return;
      }
      client.pending.push(event);
      return;
    }
    if (!client.response.write(event)) client.waiting = true;
  }
}
