import { InvalidInputError, OverloadedError } from '@lift/kit';
import { metricsErrorCodes } from './metrics-errors.js';

/** One pushed reading: a counter's increment, or a gauge's value. */
export interface PushedReading {
  readonly name: string;
  readonly type: 'counter' | 'gauge';
  readonly value: number;
  readonly labels?: Readonly<Record<string, string>>;
  /** ISO-8601; the value is kept as of now, so one far from the clock is refused rather than misplaced. */
  readonly timestamp?: string;
}

interface PushedFamily {
  readonly type: 'counter' | 'gauge';
  readonly series: Map<string, { labels: Record<string, string>; value: number }>;
}

/** The Prometheus data model's names (https://prometheus.io/docs/concepts/data_model/). */
const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const maxLabels = 16;
const maxLabelValueLength = 256;
const maxNameLength = 200;
const maxClockSkewMs = 5 * 60_000;
// The families observability writes itself and a pushed counter may join: modules' request
// counts then count like the services' in every rate and error ratio.
const joinable = new Set(['http_requests_total']);

export interface PushedMetrics {
  /** Validates every reading first, then applies them all (or none), each labelled `module` and `service` = `moduleId`. */
  push(moduleId: string, readings: readonly PushedReading[], now: number, field: (index: number) => string): number;
  /** `exposition` (the service's own /metrics) with the pushed series added: into its family when one exists, as families of their own otherwise. */
  render(exposition: string): string;
}

const escape = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
const sampleLine = (name: string, labels: Readonly<Record<string, string>>, value: number) =>
  `${name}{${Object.entries(labels)
    .map(([label, text]) => `${label}="${escape(text)}"`)
    .join(',')}} ${value}`;

/**
 * What modules pushed, kept in this process and written on its /metrics: Prometheus scrapes it
 * there (it has no push), and without Prometheus the monitor reads it there like any service's.
 * Bounded by `maxSeries` series over all modules. `ownFamilies` are the names this service's own
 * registry writes: none may be pushed but the request counter.
 */
export function pushedMetrics(options: { maxSeries: number; ownFamilies: () => readonly string[] }): PushedMetrics {
  const families = new Map<string, PushedFamily>();
  let seriesCount = 0;

  const check = (reading: PushedReading, now: number, at: string): void => {
    const bad = (where: string, detail: string) => new InvalidInputError(metricsErrorCodes.badMetric, detail, { field: `${at}${where}` });
    if (reading.name.length > maxNameLength || !metricName.test(reading.name)) throw bad('name', `"${reading.name}" is no Prometheus metric name: letters, digits, _ and :, not starting with a digit, at most ${maxNameLength} characters.`);
    const own = options.ownFamilies().some((family) => reading.name === family || [`${family}_bucket`, `${family}_sum`, `${family}_count`, `${family}_created`].includes(reading.name));
    if (own && !joinable.has(reading.name)) throw bad('name', `${reading.name} is one of observability's own metrics; choose a name of your own (prefix it with your module's id).`);
    if (joinable.has(reading.name) && reading.type !== 'counter') throw bad('type', `${reading.name} is a counter.`);
    const known = families.get(reading.name);
    if (known && known.type !== reading.type) throw bad('type', `${reading.name} was pushed as a ${known.type}; a name keeps its type.`);
    if (!Number.isFinite(reading.value)) throw bad('value', 'The value must be a finite number.');
    if (reading.type === 'counter' && reading.value < 0) throw bad('value', 'A counter\'s value is what to add to it: 0 or more.');
    const labels = Object.entries(reading.labels ?? {});
    if (labels.length > maxLabels) throw bad('labels', `At most ${maxLabels} labels.`);
    for (const [name, value] of labels) {
      if (!labelName.test(name) || name.startsWith('__')) throw bad(`labels.${name}`, `"${name}" is no label name: letters, digits and _, not starting with a digit or __.`);
      if (name === 'le' || name === 'quantile') throw bad(`labels.${name}`, `${name} belongs to histograms and summaries, which cannot be pushed.`);
      if (value.length > maxLabelValueLength) throw bad(`labels.${name}`, `A label value has at most ${maxLabelValueLength} characters.`);
    }
    if (reading.timestamp !== undefined) {
      const at = Date.parse(reading.timestamp);
      if (!/^\d{4}-\d\d-\d\dT/.test(reading.timestamp) || Number.isNaN(at)) throw bad('timestamp', 'The timestamp must be an ISO-8601 date and time.');
      if (Math.abs(at - now) > maxClockSkewMs) throw bad('timestamp', 'The timestamp is more than 5 minutes away from now: push readings as they happen.');
    }
  };

  return {
    push(moduleId, readings, now, field) {
      readings.forEach((reading, index) => check(reading, now, field(index)));
      const fresh = new Set<string>();
      for (const reading of readings) {
        // Forced: a module writes only its own series, whatever labels it sent.
        const labels = { ...reading.labels, module: moduleId, service: moduleId };
        const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
        const key = `${reading.name}${JSON.stringify(sorted)}`;
        if (!families.get(reading.name)?.series.has(key)) fresh.add(key);
      }
      if (seriesCount + fresh.size > options.maxSeries) {
        throw new OverloadedError(metricsErrorCodes.seriesLimit, `Pushed metrics hold ${seriesCount} series of at most ${options.maxSeries} (METRICS_MAX_PUSHED_SERIES); this push would add ${fresh.size}. Use fewer label values.`, 60);
      }
      for (const reading of readings) {
        const labels = Object.fromEntries(Object.entries({ ...reading.labels, module: moduleId, service: moduleId }).sort(([a], [b]) => a.localeCompare(b)));
        const key = `${reading.name}${JSON.stringify(labels)}`;
        let family = families.get(reading.name);
        if (!family) {
          family = { type: reading.type, series: new Map() };
          families.set(reading.name, family);
        }
        const series = family.series.get(key);
        if (series === undefined) {
          family.series.set(key, { labels, value: reading.value });
          seriesCount += 1;
        } else {
          series.value = reading.type === 'counter' ? series.value + reading.value : reading.value;
        }
      }
      return readings.length;
    },

    render(exposition) {
      if (families.size === 0) return exposition;
      const lines = exposition.replace(/\n$/, '').split('\n');
      for (const [name, family] of families) {
        const samples = [...family.series.values()].map((series) => sampleLine(name, series.labels, series.value));
        const typeLine = lines.indexOf(`# TYPE ${name} ${family.type}`);
        if (typeLine === -1) {
          lines.push(`# HELP ${name} Pushed by modules to observability (POST /v1/metrics)`, `# TYPE ${name} ${family.type}`, ...samples);
          continue;
        }
        let end = typeLine + 1;
        while (end < lines.length && (lines[end]?.startsWith(`${name}{`) || lines[end]?.startsWith(`${name} `))) end += 1;
        lines.splice(end, 0, ...samples);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
