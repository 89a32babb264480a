/**
 * The words of a text as the local embedder and the full-text query builder see them: lower case,
 * accents removed, split on anything not a letter or digit.
 */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

// Inflections only, longest first, so stems stay recognisable words.
const suffixes = ['ingly', 'edly', 'ings', 'ing', 'ies', 'ied', 'ed', 'es', 'ly', 's'];

/**
 * A crude English stem (inflections only): `deploying`, `deployed` and `deploys` all give
 * `deploy`. Enough to make the hashed features meet across inflections; not a Porter stemmer.
 */
export function stemOf(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of suffixes) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      const stem = word.slice(0, -suffix.length);
      return suffix === 'ies' || suffix === 'ied' ? `${stem}y` : stem;
    }
  }
  return word;
}
