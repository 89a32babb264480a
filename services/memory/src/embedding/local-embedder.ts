import type { EmbeddingProvider } from './embedding-provider.js';
import { stemOf, wordsOf } from './text-features.js';
import { toUnitLength } from './unit-vector.js';

const wordWeight = 1;
const bigramWeight = 0.6;
const trigramWeight = 0.25;

/**
 * The built-in embedder: offline, deterministic and fast (no model file). Feature hashing of
 * stemmed words, word bigrams and the character trigrams of each word into `dimensions` signed
 * buckets, each feature weighted by 1 + log(count), then normalised. So it captures lexical and
 * morphological overlap (shared words, inflections, typos that keep most trigrams, word order
 * through bigrams) — not meaning: synonyms and paraphrases with no shared words are not close.
 */
export function localEmbedder(dimensions = 256): EmbeddingProvider {
  return {
    model: `lift-local-hash-v1-${dimensions}`,
    dimensions,
    embed: async (texts) => texts.map((text) => embedText(text, dimensions)),
  };
}

/** One text's vector (exported for the index benchmark, which embeds without the async wrapper). */
export function embedText(text: string, dimensions: number): Float32Array {
  const features = new Map<string, { weight: number; count: number }>();
  const add = (feature: string, weight: number) => {
    const seen = features.get(feature);
    if (seen) seen.count += 1;
    else features.set(feature, { weight, count: 1 });
  };
  const stems = wordsOf(text).map(stemOf);
  for (let index = 0; index < stems.length; index += 1) {
    const stem = stems[index] as string;
    add(`w:${stem}`, wordWeight);
    if (index > 0) add(`b:${stems[index - 1] as string} ${stem}`, bigramWeight);
    const padded = `^${stem}$`;
    for (let start = 0; start + 3 <= padded.length; start += 1) add(`t:${padded.slice(start, start + 3)}`, trigramWeight);
  }
  const vector = new Float32Array(dimensions);
  for (const [feature, { weight, count }] of features) {
    const hash = fnv1a(feature);
    // The bucket from the low bits, the sign from a high bit: collisions cancel out on average.
    const bucket = hash % dimensions;
    const sign = (hash & 0x80000000) === 0 ? 1 : -1;
    // Sublinear term frequency: a word said five times counts about 2.6 times, not five.
    vector[bucket] = (vector[bucket] as number) + sign * weight * (1 + Math.log(count));
  }
  return toUnitLength(vector);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
