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
export function installValidatorCompilers(app: FastifyInstance): void {
  const shared: Options = { allErrors: true, useDefaults: true, strict: false, removeAdditional: false };
  const bodyAjv = addFormats(new Ajv({ ...shared, coerceTypes: false }));
  const textAjv = addFormats(new Ajv({ ...shared, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
}
