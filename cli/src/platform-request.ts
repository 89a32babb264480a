/** A JSON request to the platform through the gateway, with the answer's status and body. */
export interface PlatformAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export class PlatformRequestError extends Error {}

/** How often a 503 is asked again: right after a start, an upstream may still be getting ready. */
const unavailableRetries = 10;
const unavailablePauseMs = 500;

export function platformClient(gatewayUrl: string) {
  const once = async (method: string, path: string, body?: unknown, token?: string): Promise<PlatformAnswer> => {
    let response: Response;
    try {
      response = await fetch(`${gatewayUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new PlatformRequestError(`the gateway at ${gatewayUrl} does not answer (${(error as Error).message}); is the platform up ("lift up --detach")?`, { cause: error });
    }
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
  // A 503 did nothing (an upstream not ready, memory's limits not known yet): asking again is safe.
  return async (method: string, path: string, body?: unknown, token?: string): Promise<PlatformAnswer> => {
    let answer = await once(method, path, body, token);
    for (let attempt = 1; attempt < unavailableRetries && answer.status === 503; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, unavailablePauseMs));
      answer = await once(method, path, body, token);
    }
    return answer;
  };
}

export type PlatformRequest = ReturnType<typeof platformClient>;

/** Throws, naming the request and the platform's problem detail, unless the status is one of `expected`. */
export function expectStatus(answer: PlatformAnswer, expected: readonly number[], what: string): PlatformAnswer {
  if (expected.includes(answer.status)) return answer;
  const detail = (answer.body.detail as string | undefined) ?? JSON.stringify(answer.body);
  throw new PlatformRequestError(`${what} answered ${answer.status}: ${detail}`);
}
