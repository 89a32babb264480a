/**
 * Routes as a docs/api page names them: `METHOD /path` in a code span, query string and a
 * trailing ellipsis left off. Path parameters compare by position, not name: the page's
 * `/v1/invoices/{org}` is the document's `/v1/invoices/{organisationId}`.
 */
export interface RouteMention {
  /** `POST /v1/plans/{}` */
  readonly route: string;
  readonly lineNumber: number;
  /**
   * Where it was said: its table row, or its whole paragraph — what may name the service a route
   * belongs to when it is another service's ("… at observability (`POST /v1/logs`)").
   */
  readonly context: string;
}

const mentionPattern = /`(GET|HEAD|POST|PUT|PATCH|DELETE) (\/[^`\s?…]*)[^`]*`/g;

/** `GET /v1/plans/{planId}` → `GET /v1/plans/{}`. */
export function normalisedRoute(route: string): string {
  return route.replace(/\{[^}]*\}/g, '{}');
}

export function routeMentions(page: string): RouteMention[] {
  const lines = page.split('\n');
  const mentions: RouteMention[] = [];
  lines.forEach((line, index) => {
    for (const match of line.matchAll(mentionPattern)) {
      mentions.push({ route: normalisedRoute(`${match[1]} ${match[2]}`), lineNumber: index + 1, context: contextOf(lines, index) });
    }
  });
  return mentions;
}

function contextOf(lines: readonly string[], index: number): string {
  const line = lines[index] as string;
  if (line.trimStart().startsWith('|')) return line;
  let first = index;
  let last = index;
  while (first > 0 && (lines[first - 1] as string).trim() !== '') first -= 1;
  while (last < lines.length - 1 && (lines[last + 1] as string).trim() !== '') last += 1;
  return lines.slice(first, last + 1).join('\n');
}
