/** Turns text into vectors. The model name is stored beside each vector, so a later provider can tell what it must re-embed. */
export interface EmbeddingProvider {
  /** e.g. `lift-local-hash-v1`. */
  readonly model: string;
  readonly dimensions: number;
  /** Unit-length vectors (cosine similarity is their dot product), one per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
