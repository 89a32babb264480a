import type { ServiceApp } from '@lift/kit';
import type { ObservabilityDeps } from '../app.js';

/** Log ingestion, search, live tail and retention: routes and background work. */
export async function startLogs(_app: ServiceApp, _deps: ObservabilityDeps): Promise<void> {}
