import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateDirectoryMode, privateFileMode } from '@lift/kit';
import type { SavedSpace, VectorIndex } from './vector-index.js';

const manifestName = 'index-snapshot.json';

export type SnapshotSpace = SavedSpace & { readonly file: string };

interface Manifest {
  readonly dimensions: number;
  readonly spaces: (SnapshotSpace & { readonly organisationId: string })[];
}

/**
 * Saves every space of the index in `directory` (private: it holds tenants' vectors). Each graph
 * gets a fresh file name and the manifest is renamed into place last, so a crash mid-save leaves
 * either the whole earlier snapshot or the whole new one, never a graph with another's labels.
 */
export function saveSnapshot(index: VectorIndex, directory: string, dimensions: number): number {
  mkdirSync(directory, { recursive: true, mode: privateDirectoryMode });
  chmodSync(directory, privateDirectoryMode);
  const spaces = index
    .organisations()
    .filter((organisationId) => index.size(organisationId) > 0)
    .map((organisationId) => {
      const file = `${randomUUID()}.usearch`;
      const saved = index.saveSpace(organisationId, join(directory, file));
      chmodSync(join(directory, file), privateFileMode);
      return { organisationId, file, ...saved };
    });
  const pending = join(directory, `${manifestName}.${randomUUID()}.tmp`);
  writeFileSync(pending, JSON.stringify({ dimensions, spaces } satisfies Manifest), { mode: privateFileMode });
  renameSync(pending, join(directory, manifestName));
  return spaces.length;
}

/**
 * Takes the snapshot out of `directory`: answers its spaces by organisation and `discard`, which
 * deletes every snapshot file once the spaces are loaded. A snapshot is used at most once, so
 * none is left on disk while the service runs (an erased organisation's vectors do not linger) and
 * one from before a crash is never there to be mistaken for current.
 */
export function takeSnapshot(directory: string, dimensions: number): { spaces: Map<string, SnapshotSpace>; discard: () => void } {
  const spaces = new Map<string, SnapshotSpace>();
  const discard = () => {
    if (!existsSync(directory)) return;
    for (const name of readdirSync(directory)) if (name.startsWith(manifestName) || name.endsWith('.usearch')) rmSync(join(directory, name), { force: true });
  };
  const manifestFile = join(directory, manifestName);
  if (!existsSync(manifestFile)) return { spaces, discard };
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  if (manifest.dimensions === dimensions) for (const { organisationId, ...space } of manifest.spaces) spaces.set(organisationId, { ...space, file: join(directory, space.file) });
  return { spaces, discard };
}
