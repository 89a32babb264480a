import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repositoryRoot } from '../support/service-process.js';

/** One object of a rendered overlay, as kubectl kustomize printed it. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

export const kubernetesDirectory = join(repositoryRoot, 'k8s');

/** The overlays under k8s/overlays: a new one is rendered and checked without editing a test. */
export function overlayNames(): string[] {
  return readdirSync(join(kubernetesDirectory, 'overlays'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Whether this machine's kubectl bundles a Kustomize of version 5 (Debian's kubernetes-client does not). */
export function hasKustomize5(): boolean {
  const answer = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return answer.status === 0 && /Kustomize Version: v5\./.test(answer.stdout);
}

/** `kubectl kustomize <dir>`: the objects, or an Error with kubectl's message. */
export function renderKustomization(directory: string): KubernetesObject[] {
  const answer = spawnSync('kubectl', ['kustomize', directory], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (answer.status !== 0) throw new Error(`kubectl kustomize ${directory} failed:\n${answer.stderr}`);
  return parseYamlObjects(answer.stdout);
}

export function parseYamlObjects(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors.map((error) => error.message).join('\n'));
      return document.toJSON() as KubernetesObject | null;
    })
    .filter((object): object is KubernetesObject => object !== null);
}

const rendered = new Map<string, KubernetesObject[]>();

/** The objects of k8s/overlays/<name>, rendered once per test file. */
export function renderOverlay(name: string): KubernetesObject[] {
  let objects = rendered.get(name);
  if (objects === undefined) {
    objects = renderKustomization(join(kubernetesDirectory, 'overlays', name));
    rendered.set(name, objects);
  }
  return objects;
}

/** The one object of that kind and name; fails loudly when there is none or several. */
export function theObject<T = KubernetesObject>(objects: readonly KubernetesObject[], kind: string, name: string): T {
  const found = objects.filter((object) => object.kind === kind && object.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0] as T;
}

export function objectsOfKind<T = KubernetesObject>(objects: readonly KubernetesObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}

// --- Schema validation ---------------------------------------------------------------------------

interface ModelClass {
  new (data: object): { validate(): void };
}

/**
 * Where the model of each apiVersion lives. External Secrets serves external-secrets.io/v1 since
 * 0.17; the newest models that have it need Node 22, so v1 objects are checked against the
 * v1beta1 model, whose shape is the same for every field these manifests use.
 *
 * The Argo Rollouts models (0.3.2) are of the older generation (@kubernetes-models/validate 3,
 * which keeps its schemas in one registry): the root package.json pins validate 3.1.2 so that
 * they and their apimachinery share one copy; with a copy each, a Rollout's schema cannot find
 * ObjectMeta and every validation fails.
 */
const modelPackages: Record<string, string> = {
  'argoproj.io/v1alpha1': '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1',
  'external-secrets.io/v1': '@kubernetes-models/external-secrets/external-secrets.io/v1beta1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
};

const require = createRequire(import.meta.url);

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const modelPackage = modelPackages[apiVersion] ?? `kubernetes-models/${apiVersion}`;
  try {
    return (require(`${modelPackage}/${kind}`) as Record<string, ModelClass>)[kind];
  } catch {
    return undefined;
  }
}

export interface ValidationResult {
  /** The schema's complaint (types, required fields, enums), if any. */
  readonly invalid?: string;
  /** Paths of fields the schema does not know, e.g. `/spec/template/spec/containers/0/readinessprobe`. */
  readonly unknownFields: readonly string[];
  /** No model for this apiVersion and kind. */
  readonly unknownKind?: true;
}

/**
 * Validates an object against its Kubernetes (or CRD) schema, and finds the fields the schema does
 * not know, which the models accept silently (their schemas allow additional properties) and a
 * cluster would prune or refuse. The models' validators read exactly the properties their schema
 * declares (and every key of a map, such as labels): so the object is handed over behind a proxy
 * that records each property read, and a field that was never read is one the schema does not
 * have.
 */
export function validateObject(object: KubernetesObject): ValidationResult {
  const Model = modelFor(object.apiVersion, object.kind);
  if (Model === undefined) return { unknownKind: true, unknownFields: [] };
  const model = new Model(asTheModelExpects(object));
  const read = new Set<string>();
  let invalid: string | undefined;
  try {
    model.validate.call(recordingReads(model, '', read));
  } catch (error) {
    invalid = (error as Error).message;
  }
  const unknownFields = unreadFields(model, '', read);
  return invalid === undefined ? { unknownFields } : { invalid, unknownFields };
}

/**
 * What the API server would make of the object before checking it: Kustomize wraps a long
 * Secret value's base64 over several lines, which the server's decoder skips (the model's format
 * check does not); and an external-secrets.io/v1 object is checked as v1beta1 (see modelPackages).
 */
function asTheModelExpects(object: KubernetesObject): KubernetesObject {
  const copy = structuredClone(object) as KubernetesObject & { data?: Record<string, string> };
  if (copy.kind === 'Secret' && copy.data) {
    for (const [key, value] of Object.entries(copy.data)) copy.data[key] = value.replace(/\s+/g, '');
  }
  if (copy.apiVersion === 'external-secrets.io/v1') return { ...copy, apiVersion: 'external-secrets.io/v1beta1' };
  return copy;
}

function recordingReads<T>(value: T, path: string, read: Set<string>): T {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return child;
      read.add(`${path}/${key}`);
      return recordingReads(child, `${path}/${key}`, read);
    },
    has(target, key) {
      if (typeof key === 'string') read.add(`${path}/${key}`);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') read.add(`${path}/${key}`);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  }) as T;
}

/** The outermost fields never read: an unknown field's own fields are not listed again. */
function unreadFields(value: unknown, path: string, read: ReadonlySet<string>): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const field = `${path}/${key}`;
    return read.has(field) ? unreadFields((value as Record<string, unknown>)[key], field, read) : [field];
  });
}

/** The files of k8s/secret-stores (applied once per cluster, outside the overlays). */
export function secretStoreObjects(): { file: string; object: KubernetesObject }[] {
  const directory = join(kubernetesDirectory, 'secret-stores');
  return readdirSync(directory)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => parseYamlObjects(readFileSync(join(directory, file), 'utf8')).map((object) => ({ file, object })));
}
