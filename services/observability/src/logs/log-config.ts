import { Type } from '@sinclair/typebox';

/** The settings of log ingestion, search, tail and retention (spread into the service's config schema). */
export function logConfigProperties() {
  return {
    LOG_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3_650, default: 7, description: 'log lines older than this many days are deleted by a background pass' }),
    LOG_RETENTION_INTERVAL_MS: Type.Integer({ minimum: 1_000, maximum: 86_400_000, default: 60_000, description: 'how often the retention pass looks for expired log lines' }),
    LOG_RETENTION_CHUNK: Type.Integer({ minimum: 100, maximum: 100_000, default: 5_000, description: 'log lines deleted per transaction by the retention pass, so ingestion is never held up long' }),
    LOG_BATCH_MAX_LINES: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000, description: 'log lines one POST /v1/logs may carry (more: 413)' }),
    LOG_BATCH_MAX_BYTES: Type.Integer({ minimum: 1_024, maximum: 268_435_456, default: 16_777_216, description: 'bytes one POST /v1/logs body may have (more: 413)' }),
    LOG_LINE_MAX_BYTES: Type.Integer({ minimum: 256, maximum: 16_777_216, default: 65_536, description: 'a longer log line is refused (named in the answer) and the rest of its batch kept' }),
    LOG_INGEST_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 2, description: 'log batches written at once by one replica' }),
    LOG_INGEST_QUEUE: Type.Integer({ minimum: 0, maximum: 10_000, default: 16, description: 'log batches admitted beyond the writers (being read, parsed or waiting for a writer); beyond it POST /v1/logs answers 503 with Retry-After and stores nothing' }),
    LOG_INGEST_MAX_BYTES_IN_FLIGHT: Type.Integer({ minimum: 1_024, maximum: 4_294_967_296, default: 67_108_864, description: 'body bytes all admitted log batches together may hold (announced lengths up front, chunked or gzip bodies as they arrive); beyond it 503 with Retry-After, nothing stored' }),
    LOG_STREAM_HEARTBEAT_MS: Type.Integer({ minimum: 1_000, maximum: 300_000, default: 15_000, description: 'how often a live tail (GET /v1/logs/stream) gets a comment line, so proxies keep it open' }),
    LOG_STREAM_BUFFER: Type.Integer({ minimum: 10, maximum: 100_000, default: 2_000, description: 'log lines held for a live-tail client that reads too slowly; beyond it the client is disconnected' }),
    LOG_STREAM_BUFFER_BYTES: Type.Integer({ minimum: 16_384, maximum: 268_435_456, default: 4_194_304, description: 'bytes of events held for a live-tail client that reads too slowly; beyond it the client is disconnected' }),
    LOG_STREAM_MAX_CLIENTS: Type.Integer({ minimum: 1, maximum: 10_000, default: 100, description: 'live-tail connections one replica serves at once (more: 503)' }),
    LOG_STREAM_MAX_CLIENTS_PER_ORG: Type.Integer({ minimum: 1, maximum: 10_000, default: 5, description: 'live tails one organisation\'s admins may hold on one replica (more: 429); platform readers (observability:read) are not counted' }),
    LOG_STREAM_PLATFORM_RESERVE: Type.Integer({ minimum: 0, maximum: 10_000, default: 10, description: 'live-tail slots of LOG_STREAM_MAX_CLIENTS that only platform readers (observability:read) may take; tenants share the rest' }),
  };
}
