// Which vector index (run by hand: `node --import tsx bench/memory/index-choice.ts`): usearch
// (f32 and i8) against hnswlib-node, and the exact scan in JS, on the local embedder's vectors of
// a topic-clustered corpus. Batch insert time, search p50/p95 (k = 10) and recall@10.
import { createRequire } from 'node:module';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { embedText } from '../../services/memory/src/embedding/local-embedder.js';
import { percentile, syntheticQueries, syntheticTexts } from './synthetic-corpus.js';

const require = createRequire(import.meta.url);
const { HierarchicalNSW } = require('hnswlib-node') as typeof import('hnswlib-node');

const count = Number(process.env.COUNT ?? 50_000);
const dimensions = 256;
const texts = syntheticTexts(count);
const vectors = texts.map((text) => embedText(text, dimensions));
const queries = syntheticQueries(200).map((text) => embedText(text, dimensions));

function exact(query: Float32Array, k: number): number[] {
  const scores = new Float32Array(count);
  for (let item = 0; item < count; item += 1) {
    const vector = vectors[item] as Float32Array;
    let dot = 0;
    for (let d = 0; d < dimensions; d += 1) dot += (vector[d] as number) * (query[d] as number);
    scores[item] = dot;
  }
  return [...scores.keys()].sort((a, b) => (scores[b] as number) - (scores[a] as number)).slice(0, k);
}

const truth = queries.map((query) => exact(query, 10));
function report(name: string, buildMs: number, search: (query: Float32Array) => number[]): void {
  const times: number[] = [];
  let found = 0;
  queries.forEach((query, index) => {
    const start = performance.now();
    const keys = search(query);
    times.push(performance.now() - start);
    const expected = new Set(truth[index]);
    found += keys.filter((key) => expected.has(key)).length;
  });
  console.log(`${name.padEnd(22)} build ${Math.round(buildMs)} ms (${Math.round(count / (buildMs / 1000))}/s)  p50 ${percentile(times, 0.5).toFixed(3)} ms  p95 ${percentile(times, 0.95).toFixed(3)} ms  recall@10 ${(found / (queries.length * 10)).toFixed(3)}`);
}

const flat = new Float32Array(count * dimensions);
vectors.forEach((vector, index) => flat.set(vector, index * dimensions));
const keys = BigUint64Array.from({ length: count }, (_, index) => BigInt(index));

const variants = [
  ['usearch f32 M16 ef64', ScalarKind.F32, 16, 64, 64],
  ['usearch f16 M16 ef64', ScalarKind.F16, 16, 64, 64],
  ['usearch i8 M16 ef64', ScalarKind.I8, 16, 128, 64],
  ['usearch i8 M16 ef160', ScalarKind.I8, 16, 128, 160],
  ['usearch i8 M24 ef128', ScalarKind.I8, 24, 128, 128],
] as const;
for (const [label, quantization, connectivity, expansionAdd, expansionSearch] of variants) {
  const start = performance.now();
  const index = new Index({ dimensions, metric: MetricKind.Cos, quantization, connectivity, expansion_add: expansionAdd, expansion_search: expansionSearch, multi: false });
  index.add(keys, flat);
  report(label, performance.now() - start, (query) => Array.from(index.search(query, 10, 1).keys, Number));
}

{
  const start = performance.now();
  const index = new HierarchicalNSW('cosine', dimensions);
  index.initIndex(count, 16, 128);
  index.setEf(64);
  vectors.forEach((vector, item) => index.addPoint(Array.from(vector), item));
  index.setEf(64);
  report('hnswlib-node', performance.now() - start, (query) => index.searchKnn(Array.from(query), 10).neighbors);
}

report('exact scan (JS)', 0, (query) => exact(query, 10));
