import type { PlatformStack } from '../../support/platform-stack.js';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
export interface SchemaObject {
  readonly type?: string | readonly string[];
  readonly properties?: Record<string, SchemaObject>;
  readonly required?: readonly string[];
  readonly items?: SchemaObject;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly SchemaObject[];
  readonly oneOf?: readonly SchemaObject[];
  readonly allOf?: readonly SchemaObject[];
  readonly format?: string;
  readonly $ref?: string;
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly schema?: SchemaObject;
}

interface OperationObject {
  readonly operationId?: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: SchemaObject }> };
  readonly responses?: Record<string, { readonly content?: Record<string, unknown> }>;
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OperationObject>>;
  readonly components?: { readonly schemas?: Record<string, SchemaObject> };
}

/** One route of one service, as the fuzzer needs it. */
export interface Operation {
  readonly service: string;
  readonly method: string;
  /** The service's own path template (`/v1/memories/{id}`). */
  readonly template: string;
  readonly pathParameters: readonly string[];
  readonly queryParameters: readonly { readonly name: string; readonly schema: SchemaObject }[];
  /** The JSON body's schema, when the route takes one. */
  readonly body: SchemaObject | undefined;
  /** Whether the route answers a server-sent-events stream (it never ends by itself). */
  readonly streams: boolean;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of a service's document, with `$ref`s resolved in its body schema. */
export function operationsOf(service: string, document: OpenApiDocument): Operation[] {
  const resolve = (schema: SchemaObject | undefined, depth = 0): SchemaObject | undefined => {
    if (!schema || depth > 8) return schema;
    if (schema.$ref) return resolve(document.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], depth + 1);
    const mapped = (list: readonly SchemaObject[] | undefined) => list?.map((entry) => resolve(entry, depth + 1) ?? {});
    return {
      ...schema,
      ...(schema.properties ? { properties: Object.fromEntries(Object.entries(schema.properties).map(([name, value]) => [name, resolve(value, depth + 1) ?? {}])) } : {}),
      ...(schema.items ? { items: resolve(schema.items, depth + 1) } : {}),
      ...(schema.anyOf ? { anyOf: mapped(schema.anyOf) } : {}),
      ...(schema.oneOf ? { oneOf: mapped(schema.oneOf) } : {}),
      ...(schema.allOf ? { allOf: mapped(schema.allOf) } : {}),
    };
  };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!methods.includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const contents = Object.values(operation.responses ?? {}).flatMap((response) => Object.keys(response.content ?? {}));
      operations.push({
        service,
        method: method.toUpperCase(),
        template,
        pathParameters: parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name),
        queryParameters: parameters.filter((parameter) => parameter.in === 'query').map((parameter) => ({ name: parameter.name, schema: resolve(parameter.schema) ?? {} })),
        body: resolve(operation.requestBody?.content?.['application/json']?.schema),
        streams: contents.includes('text/event-stream') || template.endsWith('/stream'),
      });
    }
  }
  return operations;
}

/** Every route of the stack's five services, from the documents they serve; event streams left out (they never end). */
export async function operationsOfStack(stack: PlatformStack): Promise<Operation[]> {
  const operations: Operation[] = [];
  for (const [name, service] of Object.entries(stack.services)) {
    const document = (await (await fetch(`${service.url}/openapi.json`)).json()) as OpenApiDocument;
    operations.push(...operationsOf(name, document).filter((operation) => !operation.streams));
  }
  return operations;
}
