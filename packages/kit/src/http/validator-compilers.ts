import { Ajv, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS whose default export TypeScript sees as the module namespace.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

/**
 * Fastify's default Ajv coerces types and silently strips unknown properties everywhere. For
 * bodies that hides client bugs ("12" accepted as 12, a misspelt field dropped), so bodies are
 * validated strictly; querystrings, params and headers are text by nature and keep coercion.
 */
const shared: Options = { allErrors: true, useDefaults: true, strict: false, removeAdditional: false };

export interface StrictValidator<T> {
  (value: unknown): value is T;
  /** What was wrong with the last value checked, as `path message` lines. */
  readonly problems: () => string[];
}

/**
 * The same strict validation as request bodies get, for data that arrives another way (an event
 * stream): formats checked, no coercion, unknown fields refused where the schema closes them.
 */
export function strictValidator<T>(schema: object): StrictValidator<T> {
  const validate = addFormats(new Ajv({ ...shared, coerceTypes: false })).compile<T>(schema);
  const check = ((value: unknown) => validate(value)) as StrictValidator<T>;
  return Object.assign(check, { problems: () => (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`) });
}

export function installValidatorCompilers(app: FastifyInstance): void {
  const bodyAjv = addFormats(new Ajv({ ...shared, coerceTypes: false }));
  const textAjv = addFormats(new Ajv({ ...shared, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
}
