import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });
// Names come from a file anyone could edit: only plain names inside the backup directory.
const fileName = Type.String({ pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' });
const bytes = Type.Integer({ minimum: 0 });

const sqliteFile = Type.Object({ name: fileName, kind: Type.Literal('sqlite'), restoreTo: Type.String(), bytes, sha256 });
const dumpFile = Type.Object({ name: fileName, kind: Type.Literal('pg_dump'), schemas: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }), bytes, sha256 });
const fileKinds: Readonly<Record<string, TSchema>> = { sqlite: sqliteFile, pg_dump: dumpFile };

/** manifest.json without its files, which are checked one by one by their kind (so an error names the field, not "a union"). */
const manifestShape = Type.Object({
  format: Type.String(),
  backend: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  startedAt: Type.String(),
  finishedAt: Type.String(),
  database: Type.String(),
  liftVersion: Type.String(),
  files: Type.Array(Type.Unknown(), { minItems: 1 }),
  signature: Type.Optional(Type.Object({ algorithm: Type.String(), value: Type.String() })),
});

/** The first problem of a manifest as `path: message` (`/files/0/name: Expected required property`), or undefined when it is well-formed. */
export function manifestProblem(manifest: unknown): string | undefined {
  const first = (schema: TSchema, value: unknown, prefix: string): string | undefined => {
    const error = Value.Errors(schema, value).First();
    return error === undefined ? undefined : `${prefix}${error.path || '/'}: ${error.message}`;
  };
  const shape = first(manifestShape, manifest, '');
  if (shape !== undefined) return shape;
  const files = (manifest as { files: unknown[] }).files;
  for (const [index, file] of files.entries()) {
    const kind = file !== null && typeof file === 'object' ? (file as { kind?: unknown }).kind : undefined;
    const schema = typeof kind === 'string' ? fileKinds[kind] : undefined;
    if (schema === undefined) return `/files/${index}/kind: Expected 'sqlite' or 'pg_dump'`;
    const problem = first(schema, file, `/files/${index}`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
