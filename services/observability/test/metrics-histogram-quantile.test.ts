import { describe, expect, it } from 'vitest';
import { histogramQuantile, mergeBuckets } from '../src/metrics/histogram-quantile.js';
import { requestSeriesFromExposition } from '../src/metrics/request-series.js';

describe('histogram quantiles as Prometheus computes them', () => {
  it('leaves out buckets whose bound is no number, when reading an exposition and when merging', () => {
    const exposition = ['# TYPE http_request_duration_seconds histogram', ...['NaN', 'abc', '', '0.1', '+Inf'].map((le) => `http_request_duration_seconds_bucket{route="/b",status="200",le="${le}"} 10`), ''].join('\n');
    const { series } = requestSeriesFromExposition(exposition, { service: 'm' }, 100);
    expect(series.map((entry) => entry.le)).toEqual(['0.1', '+Inf']);
    const merged = mergeBuckets([[['+Inf', 10], ['0.1', 10], ['NaN', 10], ['abc', 10_000]]]);
    expect(merged).toEqual([['0.1', 10], ['+Inf', 10]]);
    expect(histogramQuantile(0.95, merged)).toBe(0.095);
    expect(histogramQuantile(0.95, [['0.1', 10], ['abc', 10_000], ['+Inf', 10], ['NaN', 10]])).toBe(0.095);
  });

  it('answers nothing where Prometheus answers NaN: fewer than two buckets, no +Inf bucket, no observations', () => {
    expect(histogramQuantile(0.95, [['+Inf', 100]])).toBeUndefined();
    expect(histogramQuantile(0.95, [['0.1', 100]])).toBeUndefined();
    expect(histogramQuantile(0.95, [['0.1', 50], ['1', 100]])).toBeUndefined();
    expect(histogramQuantile(0.95, [['0.1', 0], ['+Inf', 0]])).toBeUndefined();
  });

  it('raises a count that goes down to the bucket before (monotonic, as Prometheus fixes it)', () => {
    // 50 at ≤ 0.1 s, a stray 20 at ≤ 1 s read as 50, 100 at ≤ 2 s: the 60th request lies a fifth into (1 s, 2 s].
    expect(histogramQuantile(0.6, [['0.1', 50], ['1', 20], ['2', 100], ['+Inf', 100]])).toBeCloseTo(1.2);
  });

  it('never answers a number JSON cannot carry', () => {
    expect(histogramQuantile(0.5, [['-1.7e308', 0], ['1.7e308', 2], ['+Inf', 2]])).toBeUndefined();
    expect(histogramQuantile(0.5, [['0.1', Number.POSITIVE_INFINITY], ['+Inf', Number.POSITIVE_INFINITY]])).toBeUndefined();
  });
});
