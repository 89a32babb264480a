import type { RawAnswer } from '../../support/raw-request.js';

/** Routes whose error format a standard sets: RFC 6749's OAuth error body. */
const standardErrorFormats = [/\/v1\/oauth\/token$/];

/** What an answer must never show a client, whatever it sent. */
const leaks: readonly { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'a stack trace', pattern: /\bat (?:async )?[\w$.<>[\] ]+ \(?(?:file:|node:|\/)[^)\n]*:\d+:\d+\)?/ },
  { what: 'a source path', pattern: /\/(?:node_modules|services|packages)\/[\w@./-]+\.(?:ts|js|mjs)\b/ },
  { what: 'database text', pattern: /SQLITE_[A-Z]+|sqlite3?_|syntax error at or near|relation "[^"]+" does not exist|violates (?:unique|foreign key|check|not-null) constraint|duplicate key value|\bselect\s+[\w*,\s"]+\s+from\s+"?\w+/i },
];

/**
 * The problems with one answer, as sentences (empty when it is fine): no 5xx, nothing leaked, and
 * an error in problem+json unless a standard sets its format.
 */
export function answerProblems(path: string, answer: RawAnswer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  for (const { what, pattern } of leaks) {
    const match = pattern.exec(answer.body);
    if (match) problems.push(`showed ${what}: ${JSON.stringify(match[0].slice(0, 120))}`);
  }
  const type = String(answer.headers['content-type'] ?? '');
  if (answer.status >= 400 && !type.startsWith('application/problem+json') && !standardErrorFormats.some((format) => format.test(path.split('?')[0] ?? ''))) {
    problems.push(`answered ${answer.status} as ${type || 'no content type'}, not problem+json`);
  }
  return problems;
}
