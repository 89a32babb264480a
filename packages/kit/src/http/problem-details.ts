import type { FastifyReply, FastifyRequest } from 'fastify';

export const problemContentType = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem document plus the platform's `code` and `requestId`. */
export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly requestId: string;
  readonly instance?: string;
  readonly [extension: string]: unknown;
}

export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly extensions?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

/** A stable URN per code: problem types need not resolve, and this keeps them ours. */
export function problemType(code: string): string {
  return `urn:lift:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

export function problemDocument(request: FastifyRequest, problem: Problem): ProblemDocument {
  return {
    ...problem.extensions,
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    requestId: request.id,
    instance: request.url.split('?')[0],
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers ?? {})) reply.header(name, value);
  return reply
    .code(problem.status)
    .type(problemContentType)
    .send(JSON.stringify(problemDocument(request, problem)));
}
