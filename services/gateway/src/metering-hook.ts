import type { FastifyRequest } from 'fastify';
import type { QuotaGuard } from './quota-guard.js';
import { meteredUses, type UsageMeter } from './usage-metering.js';

/**
 * After the edge guard: an authenticated request is checked against its organisation's hard
 * quotas and, once admitted, counted as usage. The platform organisation (staff and the
 * platform's own services) is neither limited nor billed.
 */
export function meteringHook(options: { quota?: QuotaGuard | undefined; meter: UsageMeter }) {
  return async (request: FastifyRequest): Promise<void> => {
    const identity = request.identity;
    if (identity === undefined || identity.organisation === 'platform') return;
    const path = request.url.split('?', 1)[0] ?? '/';
    const uses = meteredUses(request.method, path);
    if (options.quota) await options.quota.admit(identity.organisation, uses);
    options.meter.record(identity.organisation, uses, upstreamOf(path));
  };
}

/** `/memory/v1/x` → `memory`; `/modules/causal/x` → `module:causal`. */
function upstreamOf(path: string): string {
  const [, first = '', second = ''] = path.split('/', 3);
  return first === 'modules' ? `module:${second}` : first;
}
