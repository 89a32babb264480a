import type { ServiceApp } from '@lift/kit';
import type { ObservabilityDeps } from '../app.js';
import { IngestionGate } from './ingestion-gate.js';
import { logIngestRoute } from './log-ingest-route.js';
import { logReadRoutes } from './log-read-routes.js';
import { LogRetention } from './log-retention.js';
import { logStore } from '../store/log-store.js';
import { LogTail } from './log-tail.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The background deletion of expired lines (tests run a pass with `runOnce()`). */
    logRetention: LogRetention;
    /** The ingestion budget (tests read what it holds with `inFlight`). */
    logIngestionGate: IngestionGate;
  }
}

/** Log ingestion, search, live tail and retention: routes and background work. */
export async function startLogs(app: ServiceApp, deps: ObservabilityDeps): Promise<void> {
  const { config } = deps;
  const store = logStore(deps.database.db, deps.database.location.dialect);
  const tail = new LogTail({
    state: deps.state,
    log: deps.log,
    heartbeatMs: config.LOG_STREAM_HEARTBEAT_MS,
    bufferLines: config.LOG_STREAM_BUFFER,
    bufferBytes: config.LOG_STREAM_BUFFER_BYTES,
    maxClients: config.LOG_STREAM_MAX_CLIENTS,
    maxClientsPerOrg: config.LOG_STREAM_MAX_CLIENTS_PER_ORG,
    platformReserve: config.LOG_STREAM_PLATFORM_RESERVE,
  });
  await tail.start();
  const retention = new LogRetention({ store, clock: deps.clock, log: deps.log, days: config.LOG_RETENTION_DAYS, intervalMs: config.LOG_RETENTION_INTERVAL_MS, chunk: config.LOG_RETENTION_CHUNK, ready: deps.database.migrated });
  retention.start();
  const gate = new IngestionGate({ concurrency: config.LOG_INGEST_CONCURRENCY, queue: config.LOG_INGEST_QUEUE, maxBytesInFlight: config.LOG_INGEST_MAX_BYTES_IN_FLIGHT });
  // In their own plugin context: the NDJSON parser is for these routes only.
  await app.register(async (scope) => {
    await logIngestRoute(scope, { config, store, gate, tail, clock: deps.clock, log: deps.log });
    await logReadRoutes(scope, store, tail);
  });
  app.decorate('logRetention', retention);
  app.decorate('logIngestionGate', gate);
  // Before the server stops taking connections: an open stream would otherwise hold it open.
  app.addHook('preClose', async () => {
    await tail.stop();
  });
  app.addHook('onClose', () => retention.stop());
}
