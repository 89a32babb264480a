import { wordsOf } from '../embedding/text-features.js';

/**
 * The words of a query for the full-text engines: letters and digits only (so nothing in a query
 * is FTS5 or tsquery syntax), distinct, at most 32. Each engine stems them itself.
 */
export function queryWords(query: string): string[] {
  return [...new Set(wordsOf(query))].slice(0, 32);
}
