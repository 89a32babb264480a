import type { ServiceApp } from '@lift/kit';
import type { ObservabilityDeps } from '../app.js';

/** Health monitor, status, overview, alert rules, alerts and notifications: routes and background work. */
export async function startMonitoring(_app: ServiceApp, _deps: ObservabilityDeps): Promise<void> {}
