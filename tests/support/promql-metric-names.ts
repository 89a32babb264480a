/**
 * The metric names a PromQL expression reads: its selectors' names, whatever functions,
 * aggregations and binary operators surround them. What is left out is everything else a bare
 * identifier can be: a function (followed by `(`), a keyword, and the labels inside `{…}`,
 * `by (…)`, `without (…)`, `on (…)`, `ignoring (…)` and `group_left/right (…)`. Good enough for the
 * queries of this repository's dashboards and rules, which a test checks against real /metrics.
 */
export function metricNamesIn(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w:$.])([a-zA-Z_:][\w:]*)(?!\w)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call !== undefined || name === undefined || keywords.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}

/**
 * Every sample name a Prometheus text exposition can have, from its `# TYPE` lines: a histogram
 * family `x` answers `x_bucket`, `x_sum` and `x_count`, a summary `x`, `x_sum` and `x_count`. A
 * family is listed as soon as it is registered, before its first labelled sample.
 */
export function exportedMetricNames(exposition: string): string[] {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const match = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!match) continue;
    const [, family = '', type] = match;
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${family}${suffix}`);
    else if (type === 'summary') for (const suffix of ['', '_sum', '_count']) names.add(`${family}${suffix}`);
    else names.add(family);
  }
  return [...names].sort();
}
