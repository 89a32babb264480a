/** An RFC 9457 problem the platform answered with, or a failure to reach it, ready to show. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly code: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(detail ?? title);
  }
}

interface ProblemBody {
  readonly title?: unknown;
  readonly detail?: unknown;
  readonly code?: unknown;
  readonly requestId?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The problem in an answer that is not ok; a body that is no problem still gives a readable title. */
export async function problemFrom(response: Response): Promise<ApiProblem> {
  let body: ProblemBody = {};
  try {
    body = (await response.json()) as ProblemBody;
  } catch {
    // A proxy's HTML error page or an empty body: the status line is all there is.
  }
  const title = text(body.title) ?? (response.statusText || `Request failed (${response.status})`);
  return new ApiProblem(response.status, title, text(body.detail), text(body.code), text(body.requestId) ?? response.headers.get('x-request-id') ?? undefined);
}

/** Whatever was thrown, as a problem to show: a network failure is one too (fetch throws a TypeError then). */
export function asProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError) return new ApiProblem(0, 'The platform could not be reached', detail, undefined, undefined);
  return new ApiProblem(0, 'Something went wrong on this page', detail, undefined, undefined);
}
