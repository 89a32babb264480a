import type { ServiceApp } from '@lift/kit';

/** pino lines as NDJSON. */
export function ndjson(lines: readonly unknown[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n');
}

/** POSTs an NDJSON batch with the ingest permission's headers. */
export function postNdjson(app: ServiceApp, headers: Record<string, string>, body: string) {
  return app.inject({ method: 'POST', url: '/v1/logs', headers: { ...headers, 'content-type': 'application/x-ndjson' }, payload: body });
}

export async function searchLogs(app: ServiceApp, headers: Record<string, string>, query: string) {
  return app.inject({ method: 'GET', url: `/v1/logs${query ? `?${query}` : ''}`, headers });
}
