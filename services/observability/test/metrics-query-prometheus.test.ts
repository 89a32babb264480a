import { describe, expect, it } from 'vitest';
import { sendJson, startStandIn } from '../../../tests/support/stand-in-server.js';
import { buildMonitoring, moduleToken, platformAdmin } from './helper.js';

type Vector = { metric: Record<string, string>; value: [number, string] }[];

/** A stand-in for Prometheus's HTTP API answering `/api/v1/query` with `answer(query)`. */
async function prometheusStandIn(answer: (query: string) => Vector | 'error' | 'hang') {
  return startStandIn((request, response) => {
    const url = new URL(request.url, 'http://prometheus');
    if (url.pathname !== '/api/v1/query') return sendJson(response, 404, {});
    const result = answer(url.searchParams.get('query') ?? '');
    if (result === 'hang') return;
    if (result === 'error') return sendJson(response, 400, { status: 'error', errorType: 'bad_data', error: 'parse error' });
    sendJson(response, 200, { status: 'success', data: { resultType: 'vector', result } });
  });
}

const at = (value: string): [number, string] => [1_700_000_000, value];

describe('the metrics query with PROMETHEUS_URL', () => {
  it('asks Prometheus in PromQL and answers what it says, in the same shape', async () => {
    const prometheus = await prometheusStandIn((query) => {
      if (query.startsWith('histogram_quantile')) return [{ metric: { service: 'gateway' }, value: at('0.2') }, { metric: { service: 'auth' }, value: at('NaN') }];
      if (query.startsWith('(')) return [{ metric: { service: 'gateway' }, value: at('0.05') }];
      return [{ metric: { service: 'gateway' }, value: at('20') }, { metric: { service: 'auth' }, value: at('2') }];
    });
    const { app, clock } = await buildMonitoring({ env: { PROMETHEUS_URL: prometheus.url } });
    const headers = await platformAdmin();
    const query = async (search: string) => (await app.inject({ method: 'GET', url: `/v1/metrics/query?${search}`, headers })).json() as Record<string, unknown>;

    expect(await query('metric=rate&window=5m&groupBy=service')).toEqual({
      metric: 'rate', unit: 'requests/s', windowSeconds: 300, groupBy: ['service'], source: 'prometheus',
      items: [{ labels: { service: 'auth' }, value: 2 }, { labels: { service: 'gateway' }, value: 20 }],
    });
    expect((await query('metric=p95&window=1h&groupBy=service&service=gateway&route=/v1/things')).items).toEqual([{ labels: { service: 'auth' }, value: null }, { labels: { service: 'gateway' }, value: 0.2 }]);
    await query('metric=error_ratio&window=30s&groupBy=route,status');
    const asked = prometheus.received.map((request) => new URL(request.url, 'http://prometheus').searchParams);
    expect(asked.map((params) => params.get('query'))).toEqual([
      'sum by (service) (rate(http_requests_total{route!~"/health|/ready|/metrics"}[300s]))',
      'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{route!~"/health|/ready|/metrics", service="gateway", route="/v1/things"}[3600s])))',
      '(sum by (route, status) (rate(http_requests_total{route!~"/health|/ready|/metrics", status=~"5.."}[30s])) or sum by (route, status) (rate(http_requests_total{route!~"/health|/ready|/metrics"}[30s])) * 0) / sum by (route, status) (rate(http_requests_total{route!~"/health|/ready|/metrics"}[30s]))',
    ]);
    // Evaluated at the service's clock, with Prometheus told the deadline.
    expect(asked[0]?.get('time')).toBe(String(clock.now() / 1000));
    expect(asked[0]?.get('timeout')).toBe('5000ms');
    // Windows beyond METRICS_RETENTION_HOURS are Prometheus's to keep.
    expect((await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate&window=7d', headers })).statusCode).toBe(200);
  });

  it('escapes what it puts in a label matcher', async () => {
    const prometheus = await prometheusStandIn(() => []);
    const { app } = await buildMonitoring({ env: { PROMETHEUS_URL: prometheus.url } });
    await app.inject({ method: 'GET', url: `/v1/metrics/query?metric=rate&route=${encodeURIComponent('/x"}) or vector(1) #\\')}`, headers: await platformAdmin() });
    expect(new URL(prometheus.received[0]?.url ?? '', 'http://p').searchParams.get('query')).toContain('route="/x\\"}) or vector(1) #\\\\"');
  });

  it('answers 503 when Prometheus refuses, is down or takes longer than PROMETHEUS_QUERY_TIMEOUT_MS', async () => {
    let how: 'error' | 'hang' = 'error';
    const prometheus = await prometheusStandIn(() => how);
    const { app } = await buildMonitoring({ env: { PROMETHEUS_URL: prometheus.url, PROMETHEUS_QUERY_TIMEOUT_MS: '300' } });
    const headers = await platformAdmin();
    const ask = () => app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate', headers });
    expect((await ask()).json()).toMatchObject({ status: 503, code: 'OBSERVABILITY_PROMETHEUS_UNAVAILABLE' });
    how = 'hang';
    const started = Date.now();
    expect((await ask()).json()).toMatchObject({ status: 503, code: 'OBSERVABILITY_PROMETHEUS_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(3_000);
    await prometheus.close();
    expect((await ask()).statusCode).toBe(503);
  });

  it('answers 503 when Prometheus answers something that is no instant vector of labelled values', async () => {
    let data: unknown;
    const prometheus = await startStandIn((_request, response) => sendJson(response, 200, { status: 'success', data }));
    const { app } = await buildMonitoring({ env: { PROMETHEUS_URL: prometheus.url } });
    const headers = await platformAdmin();
    for (const malformed of [
      { resultType: 'vector', result: {} },
      { resultType: 'vector', result: [{ metric: { service: 'x' } }] },
      { resultType: 'vector', result: [{ metric: { service: { x: 1 } }, value: at('1') }] },
      { resultType: 'vector', result: [{ metric: { service: 'x' }, value: [1, 2] }] },
      { resultType: 'vector', result: [null] },
      { resultType: 'matrix', result: [] },
      null,
    ]) {
      data = malformed;
      const answer = await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate&groupBy=service', headers });
      expect(answer.json(), JSON.stringify(malformed)).toMatchObject({ status: 503, code: 'OBSERVABILITY_PROMETHEUS_UNAVAILABLE' });
    }
    data = { resultType: 'vector', result: [{ metric: { service: 'x' }, value: at('NaN') }] };
    expect((await app.inject({ method: 'GET', url: '/v1/metrics/query?metric=rate&groupBy=service', headers })).json()).toMatchObject({ items: [{ labels: { service: 'x' }, value: null }] });
  });

  it('keeps the overview and the monitor round going while Prometheus is down', async () => {
    const prometheus = await prometheusStandIn(() => 'error');
    const { app, logs } = await buildMonitoring({ env: { PROMETHEUS_URL: prometheus.url } });
    await app.inject({ method: 'POST', url: '/v1/alert-rules', headers: await platformAdmin(), payload: { name: 'Gateway errors', kind: 'error_rate', target: 'gateway', thresholdPercent: 5, forSeconds: 10 } });
    expect(await app.runMonitoringRound()).toMatchObject({ led: true, fired: 0 });
    const overview = await app.inject({ method: 'GET', url: '/v1/overview', headers: await platformAdmin() });
    expect(overview.statusCode).toBe(200);
    expect(overview.json()).toMatchObject({ traffic: { requestsPerSecond: 0, errorRatePercent: null, p95Ms: null } });
    expect(logs.filter((line) => line.msg === 'the metrics query layer cannot answer: the overview shows no traffic and the traffic rules wait')).toHaveLength(1);
  });

  it('feeds the overview from Prometheus, and puts pushed metrics on /metrics for it to scrape', async () => {
    const prometheus = await prometheusStandIn((query): Vector => {
      const byService = /sum by \((le, )?service\)/.test(query);
      if (query.startsWith('histogram_quantile')) return [{ metric: byService ? { service: 'gateway' } : {}, value: at('0.25') }];
      if (query.startsWith('(')) return [{ metric: byService ? { service: 'gateway' } : {}, value: at('0.1') }];
      return [{ metric: byService ? { service: 'gateway' } : {}, value: at('12.5') }];
    });
    const { app } = await buildMonitoring({ env: { PROMETHEUS_URL: prometheus.url, OVERVIEW_WINDOW_SECONDS: '60' } });
    const overview = (await app.inject({ method: 'GET', url: '/v1/overview', headers: await platformAdmin() })).json() as { traffic: unknown; services: { name: string }[] };
    expect(overview.traffic).toEqual({ requestsPerSecond: 12.5, errorRatePercent: 10, p95Ms: 250 });
    expect(overview.services.find((service) => service.name === 'gateway')).toMatchObject({ requestsPerSecond: 12.5, errorRatePercent: 10, p95Ms: 250 });

    const pushed = await app.inject({ method: 'POST', url: '/v1/metrics', headers: await moduleToken('causal'), payload: { name: 'causal_queue_depth', type: 'gauge', value: 7, labels: { queue: 'default' } } });
    expect(pushed.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('# TYPE causal_queue_depth gauge\ncausal_queue_depth{module="causal",queue="default",service="causal"} 7\n');
  });
});
