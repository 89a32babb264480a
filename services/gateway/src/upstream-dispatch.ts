import { Readable } from 'node:stream';
import { util as undiciUtil, type Dispatcher } from 'undici';

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

/**
 * Sends one request over `dispatcher` and resolves with its answer's head; rejects when no head
 * arrives (refused, reset, timed out). undici's `dispatch` with a handler of our own rather than
 * `request`: no promise wrapper and no body stream per answer, which the gateway's relay does not
 * need (it writes the body straight to the client) and which cost about a tenth of a proxied
 * request's CPU (docs/architecture/decisions.md).
 */
export function dispatchUpstream(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    let abortRequest: (reason: Error) => void = () => undefined;
    let answer: UpstreamAnswer | undefined;
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abort) {
        abortRequest = abort as (reason: Error) => void;
      },
      onHeaders(statusCode, rawHeaders, resume) {
        // An informational answer (100 Continue) is not the answer.
        if (statusCode < 200) return true;
        if (statusCode > 599) {
          // No such status in HTTP (Fastify would refuse to send it): the upstream is broken.
          const error = Object.assign(new Error(`the upstream answered with status ${statusCode}, which HTTP does not have`), { code: 'LIFT_INVALID_STATUS' });
          reject(error);
          abortRequest(error);
          return false;
        }
        answer = new UpstreamAnswer(statusCode, undiciUtil.parseHeaders(rawHeaders as Buffer[]) as Record<string, string | string[] | undefined>, resume, (reason) => abortRequest(reason));
        resolve(answer);
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
        if (answer) answer.fail(error);
        else reject(error);
      },
    };
    dispatcher.dispatch(options, handler);
  });
}
