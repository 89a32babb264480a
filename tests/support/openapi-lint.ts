import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';

/**
 * Findings of Redocly's `recommended` ruleset — what a client generator's users would run — as
 * `severity rule: message at pointer`, minus the ones docs/architecture/decisions.md justifies:
 *
 * - `info-license`: the project has not chosen a licence, and the document must not invent one.
 * - `operation-4xx-response` on an operation with no parameters, no body and no credentials
 *   (`/health`, `/ready`, the JWKS, the OAuth metadata): nothing the client sends can be wrong, so
 *   a declared 4xx would be false. Checked here, not assumed from the path.
 */
export async function openApiLintFindings(document: object, name: string): Promise<string[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: `${name}.json`, config });
  return problems.filter((problem) => !isJustified(problem, document)).map(describe);
}

function isJustified(problem: NormalizedProblem, document: object): boolean {
  if (problem.ruleId === 'info-license') return true;
  if (problem.ruleId !== 'operation-4xx-response') return false;
  const operation = atPointer(document, (problem.location[0]?.pointer ?? '').replace(/\/responses$/, ''));
  return isInputless(operation);
}

function isInputless(operation: unknown): boolean {
  if (typeof operation !== 'object' || operation === null) return false;
  const { parameters, requestBody, security } = operation as { parameters?: unknown[]; requestBody?: unknown; security?: unknown[] };
  return (parameters ?? []).length === 0 && requestBody === undefined && Array.isArray(security) && security.length === 0;
}

/** The value at a JSON pointer of a fragment (`#/paths/~1health/get`). */
function atPointer(document: object, pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[token] : undefined), document);
}

function describe(problem: NormalizedProblem): string {
  return `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer ?? ''}`;
}
