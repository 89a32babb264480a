import type { ServerResponse } from 'node:http';
import type { Logger, SharedState, Unsubscribe } from '@lift/kit';
import { lineMatches, logItem, type LogFilters } from './log-search.js';
import type { StoredLogLine } from '../store/log-store.js';

/** The channel every replica publishes its committed lines on, and every replica's tail hears. */
const channel = 'observability:logs';

interface TailClient {
  readonly filters: LogFilters;
  readonly response: ServerResponse;
  /** The tenant organisation whose admin reads it; undefined for a platform reader. */
  readonly tenant: string | undefined;
  /** Events waiting for the socket to drain, and their bytes. */
  readonly pending: TailEvent[];
  pendingBytes: number;
  waiting: boolean;
}

/** An event as written, with its size in bytes (measured once, whatever the number of clients). */
interface TailEvent {
  readonly text: string;
  readonly bytes: number;
}

const tailEvent = (text: string): TailEvent => ({ text, bytes: Buffer.byteLength(text) });
const heartbeatEvent = tailEvent(': heartbeat\n\n');

/** Why a new tail is refused: the replica's limit, the tenants' share of it, or one organisation's. */
export type TailRefusal = 'replica' | 'tenants' | 'organisation';

export interface LogTailSettings {
  readonly state: SharedState;
  readonly log: Logger;
  readonly heartbeatMs: number;
  /** Events held for a client that reads slowly; beyond it the client is disconnected. */
  readonly bufferLines: number;
  /** Bytes of events held for a client that reads slowly; beyond it the client is disconnected. */
  readonly bufferBytes: number;
  readonly maxClients: number;
  /** Tails one tenant organisation may hold. */
  readonly maxClientsPerOrg: number;
  /** Slots of `maxClients` only platform readers may take. */
  readonly platformReserve: number;
}

/**
 * Live tail over SSE: lines committed on any replica are published through the shared state (Redis
 * pub/sub, or in-process), and each replica sends its own clients those their filters and
 * visibility let through. A client whose socket does not keep up is dropped once its buffer is full
 * (in events or in bytes).
 */
export class LogTail {
  private readonly clients = new Set<TailClient>();
  private unsubscribe: Unsubscribe | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly settings: LogTailSettings) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.settings.state.subscribe(channel, (message) => this.deliver(message));
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) this.send(client, heartbeatEvent);
    }, this.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Whether one more tail may open, for a tenant organisation's admin (`tenant`) or a platform
   * reader (undefined): tenants share the slots outside the platform's reserve, each organisation at
   * most `maxClientsPerOrg`, so no tenant can keep the platform from tailing its own replica.
   */
  refusal(tenant: string | undefined): TailRefusal | undefined {
    if (this.clients.size >= this.settings.maxClients) return 'replica';
    if (tenant === undefined) return undefined;
    let tenants = 0;
    let ofOrganisation = 0;
    for (const client of this.clients) {
      if (client.tenant === undefined) continue;
      tenants += 1;
      if (client.tenant === tenant) ofOrganisation += 1;
    }
    if (ofOrganisation >= this.settings.maxClientsPerOrg) return 'organisation';
    if (tenants >= this.settings.maxClients - this.settings.platformReserve) return 'tenants';
    return undefined;
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
  add(response: ServerResponse, filters: LogFilters, tenant: string | undefined): void {
    const client: TailClient = { filters, response, tenant, pending: [], pendingBytes: 0, waiting: false };
    this.clients.add(client);
    response.on('close', () => this.clients.delete(client));
    response.on('drain', () => {
      client.waiting = false;
      while (client.pending.length > 0 && !client.waiting) {
        const event = client.pending.shift() as TailEvent;
        client.pendingBytes -= event.bytes;
        this.send(client, event);
      }
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
    // Each line's event is built once, when a first client wants it, and the same string is held for all.
    const events: (TailEvent | undefined)[] = [];
    for (const client of this.clients) {
      lines.forEach((line, index) => {
        if (lineMatches(line, client.filters)) this.send(client, (events[index] ??= tailEvent(`event: log\nid: ${line.id}\ndata: ${JSON.stringify(logItem(line))}\n\n`)));
      });
    }
  }

  private send(client: TailClient, event: TailEvent): void {
    if (client.waiting) {
      if (client.pending.length >= this.settings.bufferLines || client.pendingBytes + event.bytes > this.settings.bufferBytes) {
        // Too slow: dropping it keeps this replica's memory bounded; it can reconnect and search the gap.
        this.clients.delete(client);
        client.response.destroy();
        return;
      }
      client.pending.push(event);
      client.pendingBytes += event.bytes;
      return;
    }
    if (!client.response.write(event.text)) client.waiting = true;
  }
}
