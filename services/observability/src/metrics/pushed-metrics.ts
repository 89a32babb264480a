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

interface PushedSeries {
  readonly labels: Record<string, string>;
  readonly module: string;
  value: number;
  /** When a push last wrote it: one not written for `ttlMs` is forgotten. */
  updatedAt: number;
}

interface PushedFamily {
  readonly type: 'counter' | 'gauge';
  readonly series: Map<string, PushedSeries>;
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
  /** `exposition` (the service's own /metrics) with the pushed series added (those written within the TTL): into its family when one exists, as families of their own otherwise. */
  render(exposition: string, now: number): string;
}

const escape = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
const sampleLine = (name: string, labels: Readonly<Record<string, string>>, value: number) =>
  `${name}{${Object.entries(labels)
    .map(([label, text]) => `${label}="${escape(text)}"`)
    .join(',')}} ${value}`;

/**
 * What modules pushed, kept in this process and written on its /metrics: Prometheus scrapes it
 * there (it has no push), and without Prometheus the monitor reads it there like any service's.
 * Bounded by `maxSeries` series over all modules and `maxSeriesPerModule` per module, so one
 * module filling the store does not shut the others out; a series no push has written for `ttlMs`
 * is forgotten, which frees its place. `ownFamilies` are the names this service's own registry
 * writes: none may be pushed but the request counter.
 */
export function pushedMetrics(options: { maxSeries: number; maxSeriesPerModule: number; ttlMs: number; ownFamilies: () => readonly string[] }): PushedMetrics {
  const families = new Map<string, PushedFamily>();
  const perModule = new Map<string, number>();
  let seriesCount = 0;

  const forget = (module: string) => {
    seriesCount -= 1;
    const left = (perModule.get(module) ?? 1) - 1;
    if (left === 0) perModule.delete(module);
    else perModule.set(module, left);
  };
  const expire = (now: number): void => {
    for (const [name, family] of families) {
      for (const [key, series] of family.series) {
        if (now - series.updatedAt < options.ttlMs) continue;
        family.series.delete(key);
        forget(series.module);
      }
      if (family.series.size === 0) families.delete(name);
    }
  };

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
      expire(now);
      const keyed = readings.map((reading) => {
        // Forced: a module writes only its own series, whatever labels it sent.
        const labels = Object.fromEntries(Object.entries({ ...reading.labels, module: moduleId, service: moduleId }).sort(([a], [b]) => a.localeCompare(b)));
        return { reading, labels, key: `${reading.name}${JSON.stringify(labels)}` };
      });
      const fresh = new Set<string>();
      const counted = new Map<string, number>();
      keyed.forEach(({ reading, key }, index) => {
        const held = families.get(reading.name)?.series.get(key);
        if (held === undefined) fresh.add(key);
        if (reading.type !== 'counter') return;
        // All or none: a counter the push would take past what a number holds refuses the push.
        const total = (counted.get(key) ?? held?.value ?? 0) + reading.value;
        if (!Number.isFinite(total)) throw new InvalidInputError(metricsErrorCodes.badMetric, `${reading.name} would count past ${Number.MAX_VALUE}; push increments, not totals.`, { field: `${field(index)}value` });
        counted.set(key, total);
      });
      const own = perModule.get(moduleId) ?? 0;
      if (own + fresh.size > options.maxSeriesPerModule) {
        throw new OverloadedError(metricsErrorCodes.seriesLimit, `Module ${moduleId} holds ${own} pushed series of at most ${options.maxSeriesPerModule} (METRICS_MAX_PUSHED_SERIES_PER_MODULE); this push would add ${fresh.size}. Use fewer label values; a series not pushed for METRICS_PUSHED_SERIES_TTL_MINUTES is forgotten.`, 60);
      }
      if (seriesCount + fresh.size > options.maxSeries) {
        throw new OverloadedError(metricsErrorCodes.seriesLimit, `Pushed metrics hold ${seriesCount} series of at most ${options.maxSeries} (METRICS_MAX_PUSHED_SERIES); this push would add ${fresh.size}. Use fewer label values.`, 60);
      }
      for (const { reading, labels, key } of keyed) {
        let family = families.get(reading.name);
        if (!family) {
          family = { type: reading.type, series: new Map() };
          families.set(reading.name, family);
        }
        const series = family.series.get(key);
        if (series === undefined) {
          family.series.set(key, { labels, module: moduleId, value: reading.value, updatedAt: now });
          seriesCount += 1;
          perModule.set(moduleId, (perModule.get(moduleId) ?? 0) + 1);
        } else {
          series.value = reading.type === 'counter' ? series.value + reading.value : reading.value;
          series.updatedAt = now;
        }
      }
      return readings.length;
    },

    render(exposition, now) {
      expire(now);
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
