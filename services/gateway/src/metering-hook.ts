import type { FastifyRequest } from 'fastify';
import { edgeTargetOfRequest } from './edge-routing.js';
import type { QuotaGuard } from './quota-guard.js';
import { searchesInBatch } from './search-batch-size.js';
import { isSearchBatch, maxSearchesPerBatch, meteredUses, type UsageMeter } from './usage-metering.js';

/**
 * After the edge guard: an authenticated request is checked against its organisation's hard
 * quotas and, once admitted, counted as usage. The platform organisation (staff and the
 * platform's own services) is neither limited nor billed.
 */
export function meteringHook(options: { quota?: QuotaGuard | undefined; meter: UsageMeter }) {
  return async (request: FastifyRequest): Promise<void> => {
    const identity = request.identity;
    if (identity === undefined || identity.organisation === 'platform') return;
    // The normalised path: `/memory/v1/%73earch` is a search like `/memory/v1/search`.
    const target = edgeTargetOfRequest(request);
    const batch = isSearchBatch(request.method, target.path) ? await searchesInBatch(request, maxSearchesPerBatch) : 1;
    const uses = meteredUses(request.method, target.path, batch);
    if (options.quota) await options.quota.admit(identity.organisation, uses);
    options.meter.record(identity.organisation, uses, target.kind === 'service' ? target.upstream.name : `module:${target.moduleId}`);
  };
}
