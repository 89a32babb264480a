import { createHash } from 'node:crypto';

/** What loading a saved space needs beside its graph file: the memory id, label and digest of each vector. */
export interface SavedSpace {
  readonly ids: string[];
  readonly labels: number[];
  readonly digests: string[];
  /** The entries' {@link vectorDigest}s folded by XOR, in hexadecimal. */
  readonly fingerprint: string;
}

/** A nearest-neighbour index of memory vectors, one space per organisation (a search never sees another's). */
export interface VectorIndex {
  /** Adds the memories' vectors, replacing any the index holds under the same ids. */
  upsert(organisationId: string, entries: readonly { id: string; vector: Float32Array }[]): void;
  remove(organisationId: string, ids: readonly string[]): void;
  /** Forgets the organisation's whole space (erase). */
  dropOrganisation(organisationId: string): void;
  /** The `k` nearest by cosine similarity (1 = same direction), best first. */
  search(organisationId: string, vector: Float32Array, k: number): { id: string; similarity: number }[];
  /** Vectors held for the organisation (erase's proof; stats). */
  size(organisationId: string): number;
  /** Vectors held in all. */
  readonly total: number;
  /** Organisations with a space. */
  organisations(): string[];
  /** Writes the space's graph to `file`; answers the rest of what {@link loadSpace} needs. */
  saveSpace(organisationId: string, file: string): SavedSpace;
  /** Replaces the organisation's space by one saved earlier. */
  loadSpace(organisationId: string, file: string, saved: SavedSpace): void;
}

/** A vector as the database stores it: Float32 little-endian bytes. */
export function vectorToBytes(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function vectorFromBytes(bytes: Uint8Array): Float32Array {
  // A copy: the driver's buffer may be a view into a pooled allocation with any alignment.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/**
 * One stored vector's digest: its memory id and bytes (fixed length, so the pair is unambiguous).
 * A space's fingerprint is its digests folded by XOR: independent of order, and a vector added or
 * removed is one more XOR, so the index keeps it current as cheaply as a restart computes it from
 * the database.
 */
export function vectorDigest(id: string, bytes: Uint8Array): bigint {
  const hash = createHash('sha256').update(id).update(bytes).digest();
  return (hash.readBigUInt64LE(0) << 64n) | hash.readBigUInt64LE(8);
}
