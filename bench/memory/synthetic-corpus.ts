// A reproducible corpus for the memory benchmarks: sentences drawn from topic vocabularies, so
// memories cluster by topic as real notes do (uniformly random vectors would be an unfair case).
const topics = 200;
const wordsPerTopic = 40;
const common = ['the', 'team', 'customer', 'report', 'meeting', 'issue', 'update', 'plan', 'data', 'result', 'week', 'model', 'service', 'user', 'change'];

/** A small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function word(topic: number, index: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let value = topic * 7_919 + index * 104_729;
  let text = '';
  for (let length = 0; length < 4 + (index % 5); length += 1) {
    text += letters[value % 26];
    value = Math.floor(value / 26) + 17 * (length + 1);
  }
  return text;
}

/** `count` texts of 12–30 words: mostly one topic's words, some common ones, a few of another topic. */
export function syntheticTexts(count: number, seed = 42): string[] {
  const next = random(seed);
  const texts: string[] = [];
  for (let item = 0; item < count; item += 1) {
    const topic = Math.floor(next() * topics);
    const length = 12 + Math.floor(next() * 19);
    const words: string[] = [];
    for (let position = 0; position < length; position += 1) {
      const roll = next();
      if (roll < 0.25) words.push(common[Math.floor(next() * common.length)] as string);
      else if (roll < 0.35) words.push(word(Math.floor(next() * topics), Math.floor(next() * wordsPerTopic)));
      else words.push(word(topic, Math.floor(next() * wordsPerTopic)));
    }
    texts.push(words.join(' '));
  }
  return texts;
}

/** Queries of 3–6 words from one topic, as a user would type them. */
export function syntheticQueries(count: number, seed = 7): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const topic = Math.floor(next() * topics);
    return Array.from({ length: 3 + Math.floor(next() * 4) }, () => word(topic, Math.floor(next() * wordsPerTopic))).join(' ');
  });
}

export function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}
