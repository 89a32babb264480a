import type { OpenApiDocument } from '../src/openapi-merge.js';

/**
 * Every local `$ref` in the document that does not resolve. A `$ref` is a URI fragment holding a
 * JSON pointer: percent-decoded first, then `~1` and `~0` unescaped.
 */
export function unresolvedReferences(document: OpenApiDocument): string[] {
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) refs.push(value);
      else walk(value);
    }
  };
  walk(document);
  return refs.filter((ref) => {
    let target: unknown = document;
    for (const token of ref.replace(/^#\//, '').split('/')) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
      target = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[key] : undefined;
    }
    return target === undefined;
  });
}
