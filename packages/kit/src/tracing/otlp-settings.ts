import type { Environment } from '../config/env-file.js';

export interface OtlpSettings {
  /** Where spans are posted: `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`, or the traces endpoint as given. */
  readonly url: string;
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly headers: Record<string, string>;
}

/**
 * The OTLP exporter's settings from the standard variables (signal-specific ones first), taken
 * from the service's environment rather than only `process.env`, so `.env.local` counts too.
 */
export function otlpSettingsFrom(env: Environment, warn: (message: string) => void): OtlpSettings {
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const url = tracesEndpoint ? tracesEndpoint : `${(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').trim().replace(/\/+$/, '')}/v1/traces`;
  const requested = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim().toLowerCase();
  let protocol: OtlpSettings['protocol'] = 'http/protobuf';
  if (requested === 'http/json') protocol = 'http/json';
  else if (requested !== 'http/protobuf') warn(`OTEL_EXPORTER_OTLP_PROTOCOL=${requested} is not supported (OTLP over HTTP only); sending http/protobuf to ${url}`);
  return { url, protocol, headers: { ...headerList(env.OTEL_EXPORTER_OTLP_HEADERS), ...headerList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) } };
}

/** `key=value,key2=value2`, values percent-encoded (the specification's format). */
function headerList(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = pair.slice(0, equals).trim().toLowerCase();
    const raw = pair.slice(equals + 1).trim();
    try {
      headers[name] = decodeURIComponent(raw);
    } catch {
      headers[name] = raw;
    }
  }
  return headers;
}
