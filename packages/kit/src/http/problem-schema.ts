import { Type } from '@sinclair/typebox';
import { problemContentType } from './problem-details.js';

/** The name of the problem document's schema in every service's OpenAPI components. */
export const problemSchemaName = 'Problem';

/**
 * What every error answer is (see problem-details.ts), as the OpenAPI document describes it:
 * RFC 9457 members plus `code` and `requestId`, and room for each problem's own members.
 */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A URN per code: urn:lift:problem:<code in kebab-case>' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String({ description: 'How to fix the request, for a person' }),
    code: Type.String({ description: 'Stable and machine-readable: match on it (docs/api/errors.md lists every code)' }),
    requestId: Type.String({ description: 'Also the x-request-id header; quote it when asking about a failure' }),
    instance: Type.Optional(Type.String({ description: 'The request path' })),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), { description: 'REQUEST_VALIDATION_FAILED: each bad field' }),
    ),
  },
  { additionalProperties: true, description: 'An RFC 9457 problem document (application/problem+json)' },
);

/** An OpenAPI response whose body is the shared problem schema. */
export function problemResponse(description: string): object {
  return {
    description,
    content: { [problemContentType.split(';')[0] as string]: { schema: { $ref: `#/components/schemas/${problemSchemaName}` } } },
  };
}
