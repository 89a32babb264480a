/** What an operationId must look like: camelCase, so every client generator can use it as a method name. */
export const operationIdPattern = /^[a-z][a-zA-Z0-9]*$/;

/**
 * The operationId of a route that names none: its method and path in camelCase
 * (`GET /v1/widgets/{id}` → `getV1WidgetsById`), unique as the route is. Core services name
 * every operation themselves (`createOrganisation`); this keeps a module's or a test's document
 * usable by a client generator meanwhile.
 */
export function fallbackOperationId(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((segment) => segment !== '')
    .flatMap((segment) => {
      const parameter = /^[:{]([^}]+)\}?$/.exec(segment);
      return parameter ? ['by', ...wordsOf(parameter[1] ?? '')] : wordsOf(segment);
    });
  return [method.toLowerCase(), ...words.map((word) => word.charAt(0).toUpperCase() + word.slice(1))].join('');
}

function wordsOf(text: string): string[] {
  return text.split(/[^a-zA-Z0-9]+/).filter((word) => word !== '');
}
