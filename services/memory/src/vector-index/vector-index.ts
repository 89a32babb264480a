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
