import { createLogger, createService, type Logger, type ServiceApp } from '../src/index.js';
import type { Clock } from '../src/clock.js';
import { closeWhenDone } from '../../../tests/support/close-when-done.js';
import { sendJson, startStandIn, type ReceivedRequest, type StandIn } from '../../../tests/support/stand-in-server.js';

// The kit's tests use the shared test support (tests/support) like every service's.
export { capturingLogger } from '../../../tests/support/captured-logs.js';
export { closeWhenDone } from '../../../tests/support/close-when-done.js';
export { manualClock } from '../../../tests/support/manual-clock.js';

export interface TestServiceOptions {
  readonly bodyLimitBytes?: number;
  readonly corsOrigins?: string;
  readonly clock?: Clock;
  readonly log?: Logger;
}

/** A service built with the kit, with no routes of its own yet; closed after the test. */
export async function buildTestService(options: TestServiceOptions = {}): Promise<ServiceApp> {
  const app = await createService({
    identity: { name: 'test-service', version: '1.2.3', description: 'A service built by the kit tests.' },
    config: { BODY_LIMIT_BYTES: options.bodyLimitBytes ?? 1_048_576, CORS_ORIGINS: options.corsOrigins ?? '*' },
    log: options.log ?? createLogger({ service: 'test-service', version: '1.2.3', level: 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  closeWhenDone(() => app.close());
  return app;
}

export type RecordedRequest = ReceivedRequest;

/** A stand-in server that records what it receives and answers as `answer` says (200 `{}` by default). */
export function startRecordingServer(
  answer: (request: RecordedRequest) => { status?: number; body?: string; headers?: Record<string, string> } = () => ({}),
): Promise<StandIn> {
  return startStandIn((request, response) => {
    const reply = answer(request);
    sendJson(response, reply.status ?? 200, reply.body ?? '{}', reply.headers);
  });
}
