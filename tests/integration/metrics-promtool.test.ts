import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreServiceNames, startPlatformStack, type PlatformStack } from '../support/platform-stack.js';
import { promtoolAvailable, promtoolFindings } from '../support/promtool.js';
import { skipUnless } from '../support/skip-rule.js';

/**
 * Every service's /metrics passes Prometheus's own linter once it has seen traffic (labels of
 * real routes, statuses and upstreams), apart from prom-client's inherited gauges (promtool.ts).
 * Without promtool the suite is skipped loudly; under CI it fails instead (.ci/run installs it).
 */
const available = !skipUnless(promtoolAvailable(), '/metrics checks', 'promtool (apt-get install -y prometheus)');

let stack: PlatformStack;
beforeAll(async () => {
  if (!available) return;
  stack = await startPlatformStack();
  const gateway = stack.gateway.url;
  // Traffic through the gateway to every service: public, refused, unknown and proxied routes.
  const requests = [
    fetch(`${gateway}/auth/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"nobody@example.com","password":"wrong password"}' }),
    fetch(`${gateway}/auth/v1/me`),
    fetch(`${gateway}/billing/v1/plans`, { headers: { 'x-api-key': 'not-a-key' } }),
    fetch(`${gateway}/no/such/route`),
    fetch(`${gateway}/health/detailed`),
    ...coreServiceNames.flatMap((name) => [fetch(`${gateway}/${name}/health`), fetch(`${stack.services[name].url}/v1/unknown`)]),
  ];
  for (const answer of await Promise.all(requests)) await answer.arrayBuffer();
});
afterAll(async () => {
  await stack?.stop();
});

describe.skipIf(!available)('promtool check metrics', () => {
  it.each(['gateway', ...coreServiceNames] as const)('%s: /metrics after traffic has no findings', async (name) => {
    const service = name === 'gateway' ? stack.gateway : stack.services[name];
    const answer = await fetch(`${service.url}/metrics`);
    expect(answer.status).toBe(200);
    const exposition = await answer.text();
    expect(exposition).toMatch(/^http_requests_total\{/m);
    expect(promtoolFindings(exposition)).toEqual([]);
  });

  it('would notice a broken exposition', () => {
    expect(promtoolFindings('# HELP lift_widgets_total Widgets.\n# TYPE lift_widgets_total gauge\nlift_widgets_total 1\n')).toEqual(['lift_widgets_total non-counter metrics should not have "_total" suffix']);
    expect(promtoolFindings('not a metric line at all {\n')[0]).toMatch(/^promtool exited 1/);
  });
});
