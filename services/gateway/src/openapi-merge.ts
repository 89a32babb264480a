/** The parts of an OpenAPI 3.x document the merge reads and rewrites; the rest passes through. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [field: string]: unknown };
  servers?: { url: string; description?: string }[];
  paths?: Record<string, Record<string, unknown>>;
  webhooks?: Record<string, unknown>;
  components?: Record<string, Record<string, unknown>>;
  tags?: { name: string; description?: string; [field: string]: unknown }[];
  security?: Record<string, string[]>[];
  [field: string]: unknown;
}

/** One service's document and the path prefix the gateway serves it under (`''` for its own). */
export interface DocumentPart {
  readonly service: string;
  readonly prefix: string;
  readonly document: OpenApiDocument;
}

export interface MergeOptions {
  readonly info: OpenApiDocument['info'];
  readonly servers: NonNullable<OpenApiDocument['servers']>;
  /** Earlier parts win when two define the same method on the same path. */
  readonly parts: readonly DocumentPart[];
}

type Json = Record<string, unknown>;

const operationMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const unescapePointer = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');
const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * One document for the whole platform. Every service's paths get its gateway prefix; its
 * operationIds and component names become `<service>.<name>` and its tags `<service>/<tag>`
 * (untagged operations are tagged `<service>`), so two services can never collide, and every
 * `$ref`, `operationRef`, discriminator mapping and link that pointed at the old names follows.
 * A service's top-level `security` moves onto its operations (the merged document has no
 * top-level one). Security schemes are shared when identical and namespaced when two services
 * disagree. Every `servers` entry of a service is dropped: those are internal addresses.
 */
export function mergeOpenApiDocuments(options: MergeOptions): OpenApiDocument {
  const schemeNames = securitySchemeNames(options.parts);
  const merged: Required<Pick<OpenApiDocument, 'paths' | 'components'>> & { webhooks: Json } = { paths: {}, components: {}, webhooks: {} };
  const tagDescriptions = new Map<string, string | undefined>();

  for (const part of options.parts) {
    const names = schemeNames.get(part.service) ?? new Map<string, string>();
    const rename = renamer(part, names);
    const document = rename.tree(part.document) as OpenApiDocument;

    const pathItem = (item: Json, target: Json = {}): Json => {
      for (const [key, value] of Object.entries(item)) {
        if (key === 'servers' || key in target) continue;
        target[key] = operationMethods.has(key) && isObject(value) ? namespacedOperation(value, part, document, names, tagDescriptions) : value;
      }
      return target;
    };
    for (const [path, item] of Object.entries(document.paths ?? {})) pathItem(item, (merged.paths[`${part.prefix}${path}`] ??= {}));
    for (const [name, item] of Object.entries(document.webhooks ?? {})) merged.webhooks[`${part.service}.${name}`] = isObject(item) ? pathItem(item) : item;
    for (const [kind, entries] of Object.entries(document.components ?? {})) {
      const target = (merged.components[kind] ??= {});
      for (const [name, value] of Object.entries(entries)) {
        target[kind === 'securitySchemes' ? (names.get(name) ?? name) : `${part.service}.${name}`] = value;
      }
    }
    for (const tag of document.tags ?? []) tagDescriptions.set(`${part.service}/${tag.name}`, tag.description);
  }

  return {
    openapi: '3.1.0',
    info: options.info,
    servers: [...options.servers],
    paths: merged.paths,
    ...(Object.keys(merged.webhooks).length > 0 ? { webhooks: merged.webhooks } : {}),
    components: merged.components,
    tags: [...tagDescriptions].map(([name, description]) => (description === undefined ? { name } : { name, description })),
  };
}

function namespacedOperation(operation: Json, part: DocumentPart, document: OpenApiDocument, schemeNames: ReadonlyMap<string, string>, tags: Map<string, string | undefined>): Json {
  const { servers: _internalAddresses, ...rest } = operation;
  const ownTags = Array.isArray(operation.tags) && operation.tags.length > 0 ? operation.tags.map((tag) => `${part.service}/${String(tag)}`) : [part.service];
  for (const tag of ownTags) if (!tags.has(tag)) tags.set(tag, undefined);
  const security = (operation.security ?? document.security) as Record<string, string[]>[] | undefined;
  return {
    ...rest,
    tags: ownTags,
    ...(typeof operation.operationId === 'string' ? { operationId: `${part.service}.${operation.operationId}` } : {}),
    ...(security ? { security: security.map((requirement) => Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [schemeNames.get(name) ?? name, scopes]))) } : {}),
  };
}

/**
 * The name each service's security schemes get in the merged document: their own, unless another
 * service already uses that name for a different scheme.
 */
function securitySchemeNames(parts: readonly DocumentPart[]): Map<string, Map<string, string>> {
  const claimed = new Map<string, string>();
  const names = new Map<string, Map<string, string>>();
  for (const part of parts) {
    const own = new Map<string, string>();
    for (const [name, scheme] of Object.entries(part.document.components?.securitySchemes ?? {})) {
      const serialised = JSON.stringify(scheme);
      const holder = claimed.get(name);
      if (holder === undefined) claimed.set(name, serialised);
      own.set(name, holder === undefined || holder === serialised ? name : `${part.service}.${name}`);
    }
    names.set(part.service, own);
  }
  return names;
}

/** Rewrites every reference inside one service's document to the names it has in the merged one. */
function renamer(part: DocumentPart, schemeNames: ReadonlyMap<string, string>) {
  const reference = (ref: string): string => {
    const component = /^#\/components\/([^/]+)\/([^/]+)(.*)$/.exec(ref);
    if (component) {
      const [, kind = '', name = '', rest = ''] = component;
      const renamed = kind === 'securitySchemes' ? escapePointer(schemeNames.get(unescapePointer(name)) ?? unescapePointer(name)) : `${part.service}.${name}`;
      return `#/components/${kind}/${renamed}${rest}`;
    }
    const path = /^#\/paths\/([^/]+)(.*)$/.exec(ref);
    if (path) return `#/paths/${escapePointer(`${part.prefix}${unescapePointer(path[1] ?? '')}`)}${path[2] ?? ''}`;
    // External references and JSON Schema's own (#/$defs inside an $id'd schema) stay as they are.
    return ref;
  };

  const tree = (node: unknown, key = ''): unknown => {
    if (Array.isArray(node)) return node.map((entry) => tree(entry));
    if (!isObject(node)) return node;
    const copy: Json = {};
    for (const [field, value] of Object.entries(node)) {
      if ((field === '$ref' || field === 'operationRef') && typeof value === 'string') copy[field] = reference(value);
      else if (field === 'mapping' && key === 'discriminator' && isObject(value)) copy[field] = Object.fromEntries(Object.entries(value).map(([name, target]) => [name, typeof target === 'string' && target.startsWith('#') ? reference(target) : target]));
      else copy[field] = tree(value, field);
    }
    // A Link names the operation it leads to by operationId, which is namespaced like the rest.
    if (key === 'links') {
      for (const link of Object.values(copy)) {
        if (isObject(link) && typeof link.operationId === 'string') link.operationId = `${part.service}.${link.operationId}`;
      }
    }
    return copy;
  };

  return { tree };
}
