import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

export interface FieldError {
  /** Where the bad value is: `body.email`, `querystring.limit`, `body.items[2].quantity`. */
  readonly field: string;
  readonly message: string;
}

/** Ajv's errors, rewritten so each names the field a person has to fix. */
export function describeValidationErrors(
  validation: readonly FastifySchemaValidationError[],
  context: string | undefined,
): { detail: string; errors: FieldError[] } {
  const errors = validation.map((error) => ({ field: fieldOf(error, context ?? 'body'), message: messageOf(error) }));
  const detail = errors.map((error) => `${error.field}: ${error.message}`).join('; ');
  return { detail, errors };
}

function fieldOf(error: FastifySchemaValidationError, context: string): string {
  const segments = error.instancePath
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment.replace(/~1/g, '/').replace(/~0/g, '~')}`));
  const params = error.params as Record<string, unknown>;
  const named = params.missingProperty ?? params.additionalProperty;
  if (typeof named === 'string') segments.push(`.${named}`);
  return `${context}${segments.join('')}`;
}

function messageOf(error: FastifySchemaValidationError): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not a known field';
  return error.message ?? 'is invalid';
}
