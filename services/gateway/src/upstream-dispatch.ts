import { Readable } from 'node:stream';
import { errors as undiciErrors, util as undiciUtil, type Dispatcher } from 'undici';

/** Where an answer's body goes once its head is known: the client's response, or a stream. */
export interface BodySink {
  /** A chunk of the body; `false` asks for no more until `resume` is called. */
  data(chunk: Buffer): boolean;
  end(): void;
  /** The upstream failed (or the request was aborted) after its head: the body is incomplete. */
  fail(error: Error): void;
}

/**
 * An upstream's answer whose head has arrived and whose body waits (the parser is paused) until
 * it is given a sink, so that no byte can arrive before there is somewhere to put it.
 */
export class UpstreamAnswer {
  sink: BodySink | undefined;
  /** An error that came after the head but before the sink. */
  pendingError: Error | undefined;
  /** The body has been read to its end (or failed): nothing left to abort. */
  ended = false;
  private completed = false;

  constructor(
    readonly statusCode: number,
    readonly headers: Record<string, string | string[] | undefined>,
    private readonly resumeParser: () => void,
    private readonly abortRequest: (reason: Error) => void,
  ) {}

  /** Starts the body's flow into `sink`; `resume` is what the sink calls after it said `false`. */
  deliverTo(sink: BodySink): void {
    this.sink = sink;
    if (this.pendingError) sink.fail(this.pendingError);
    else if (this.completed) sink.end();
    else this.resumeParser();
  }

  complete(): void {
    this.ended = true;
    this.completed = true;
    this.sink?.end();
  }

  fail(error: Error): void {
    this.ended = true;
    if (this.sink) this.sink.fail(error);
    else this.pendingError = error;
  }

  resume(): void {
    this.resumeParser();
  }

  /** Stops the request (the client went away): undici closes the upstream's connection. */
  abort(reason: Error): void {
    if (!this.ended) this.abortRequest(reason);
  }

  /** The body as a stream, with backpressure; destroying it aborts the request. */
  bodyStream(): Readable {
    const stream = new Readable({
      read: () => this.resume(),
      destroy: (error, done) => {
        this.abort(error ?? new Error('the answer was not read to its end'));
        done(error);
      },
    });
    this.deliverTo({ data: (chunk) => stream.push(chunk), end: () => stream.push(null), fail: (error) => stream.destroy(error) });
    return stream;
  }
}

/** One request on its way to an upstream, until its answer's head. */
export interface UpstreamAttempt {
  /** The answer's head; rejects when none comes (refused, reset, too late, or cancelled). */
  readonly answer: Promise<UpstreamAnswer>;
  /**
   * Stops waiting for the head (the client went away): the request is aborted now, or — still
   * waiting for one of the pool's connections — the moment it gets one, before anything is sent.
   * Nothing once the head has come: the answer's body is the relay's to abort.
   */
  cancel(reason: Error): void;
}

/**
 * undici's own headers timeout starts only once the request has a connection and is written: a
 * request queued behind a pool whose connections all hang (a burst larger than
 * UPSTREAM_CONNECTIONS) would wait for earlier ones to time out first, a multiple of the timeout.
 * It is undici's own error, so that metrics, the circuit and the 504 treat it as the timeout it is.
 */
function headDeadlineError(deadlineMs: number): Error {
  return new undiciErrors.HeadersTimeoutError(`no answer within ${deadlineMs} ms, waiting for a connection included`);
}

/**
 * Sends one request over `dispatcher` and resolves with its answer's head; rejects when no head
 * arrives (refused, reset, timed out). undici's `dispatch` with a handler of our own rather than
 * `request`: no promise wrapper and no body stream per answer, which the gateway's relay does not
 * need (it writes the body straight to the client) and which cost about a tenth of a proxied
 * request's CPU (docs/architecture/decisions.md).
 *
 * `deadlineMs` bounds the wait for the head from now — a free connection and connecting
 * included — except while a streamed body is being sent: a client's slow upload is not the
 * upstream's delay (the pool's headers timeout does not run during it either, and Envoy starts its
 * route timeout at the end of the client's request).
 */
export function dispatchUpstream(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, deadlineMs: number): UpstreamAttempt {
  let abortRequest: ((reason: Error) => void) | undefined;
  let stopped: Error | undefined;
  let answer: UpstreamAnswer | undefined;
  let resolveHead: (answer: UpstreamAnswer) => void = () => undefined;
  let rejectHead: (error: Error) => void = () => undefined;
  const head = new Promise<UpstreamAnswer>((resolve, reject) => {
    resolveHead = resolve;
    rejectHead = reject;
  });
  const upload = options.body instanceof Readable ? options.body : undefined;
  const started = performance.now();
  const stop = (reason: Error): void => {
    if (answer !== undefined || stopped !== undefined) return;
    stopped = reason;
    clearTimeout(deadline);
    rejectHead(reason);
    abortRequest?.(reason);
  };
  const expire = (): void => stop(headDeadlineError(deadlineMs));
  let deadline = setTimeout(expire, deadlineMs);
  const handler: Dispatcher.DispatchHandler = {
    onConnect(abort) {
      abortRequest = abort as (reason: Error) => void;
      // Past its deadline or its client while it waited for the connection: nothing is sent.
      if (stopped !== undefined) {
        abortRequest(stopped);
        return;
      }
      if (upload === undefined) return;
      // The clock stops while the body goes out, and goes on with what was left once it is sent.
      clearTimeout(deadline);
      const leftMs = deadlineMs - (performance.now() - started);
      upload.once('end', () => {
        if (answer === undefined && stopped === undefined) deadline = setTimeout(expire, Math.max(0, leftMs));
      });
    },
    onHeaders(statusCode, rawHeaders, resume) {
      // An informational answer (100 Continue) is not the answer.
      if (statusCode < 200) return true;
      if (stopped !== undefined) return false;
      clearTimeout(deadline);
      if (statusCode > 599) {
        // No such status in HTTP (Fastify would refuse to send it): the upstream is broken.
        const error = Object.assign(new Error(`the upstream answered with status ${statusCode}, which HTTP does not have`), { code: 'LIFT_INVALID_STATUS' });
        stop(error);
        return false;
      }
      answer = new UpstreamAnswer(statusCode, undiciUtil.parseHeaders(rawHeaders as Buffer[]) as Record<string, string | string[] | undefined>, resume, (reason) => abortRequest?.(reason));
      resolveHead(answer);
      // Paused until the answer has a sink.
      return false;
    },
    onData(chunk) {
      return answer?.sink?.data(chunk) ?? false;
    },
    onComplete() {
      answer?.complete();
    },
    onError(error) {
      clearTimeout(deadline);
      if (answer) answer.fail(error);
      else rejectHead(error);
    },
  };
  dispatcher.dispatch(options, handler);
  return { answer: head, cancel: stop };
}
