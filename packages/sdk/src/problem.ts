/** An answer of the platform that was not a success, with its problem+json document. */
export class LiftApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly problem: Record<string, unknown>;

  constructor(status: number, problem: Record<string, unknown>) {
    super(typeof problem.detail === 'string' ? problem.detail : `the platform answered ${status}`);
    this.name = 'LiftApiError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : undefined;
    this.problem = problem;
  }
}
