import { randomFillSync } from 'node:crypto';

/** W3C Trace Context (https://www.w3.org/TR/trace-context/): the parts a service needs. */
export interface TraceContext {
  readonly traceId: string;
  /** This service's span for the request; outgoing calls name it as their parent. */
  readonly spanId: string;
  readonly flags: string;
  /**
   * OpenTelemetry's instrumentation puts the traceparent on this request's outgoing calls itself
   * (naming its client span as the parent); the kit must not add a second one.
   */
  readonly carried?: boolean;
  /** The caller's valid traceparent is continued, so its `tracestate` may travel on with it (W3C: only then). */
  readonly continued?: boolean;
}

// The same rule as OpenTelemetry's W3C propagator, so a header continues a trace with tracing on
// exactly when it does with tracing off: lowercase hex only (W3C: uppercase is invalid), version
// ff invalid, a later version's extra fields allowed, version 00's not.
const traceparentPattern = /^\s?((?!ff)[0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\s?$/;
const allZeroTrace = '0'.repeat(32);
const allZeroSpan = '0'.repeat(16);

/** Keeps the caller's trace when its header is valid, otherwise starts a new one (sampled). */
export function traceContextFor(traceparent: string | string[] | undefined): TraceContext {
  const header = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const match = header === undefined ? null : traceparentPattern.exec(header);
  if (match && !(match[1] === '00' && match[5] !== undefined) && match[2] !== allZeroTrace && match[3] !== allZeroSpan) {
    return { traceId: match[2] as string, spanId: newSpanId(), flags: match[4] as string, continued: true };
  }
  return { traceId: randomHex(16), spanId: newSpanId(), flags: '01' };
}

/** The header an outgoing call carries: same trace, this service's span as parent. */
export function traceparentHeader(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

/** The traceparent the kit adds to an outgoing call; none when OpenTelemetry adds it (`carried`). */
export function outgoingTraceparent(trace: TraceContext | undefined): string | undefined {
  return trace === undefined || trace.carried === true ? undefined : traceparentHeader(trace);
}

function newSpanId(): string {
  return randomHex(8);
}

// Ids for every request come out of one pool refilled 8 KB at a time: a call into OpenSSL and a
// Buffer per id cost more than the rest of the trace handling (seen in the gateway's profile).
// The pool is process-wide, as crypto.randomUUID's own cache is; it holds no state anyone reads.
const pool = Buffer.allocUnsafe(8192);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}
