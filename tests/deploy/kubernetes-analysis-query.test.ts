import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { promtoolAvailable } from '../support/promtool.js';
import { scratchDirectories } from '../support/scratch-directories.js';
import { skipUnless } from '../support/skip-rule.js';
import { kubernetesDirectory } from './kubernetes-manifests.js';

const skip = skipUnless(promtoolAvailable(), 'the rollout analysis query', 'promtool (Debian package prometheus)');

interface AnalysisTemplate {
  readonly spec: { readonly metrics: readonly { readonly successCondition: string; readonly failureCondition: string; readonly provider: { readonly prometheus: { readonly query: string } } }[] };
}

const template = parse(readFileSync(join(kubernetesDirectory, 'overlays/prod/analysis-template.yaml'), 'utf8')) as AnalysisTemplate;
const [metric] = template.spec.metrics;

/** The query as Argo sends it for auth's new ReplicaSet `new`. */
const query = (metric?.provider.prometheus.query ?? '').replaceAll('{{args.service-name}}', 'auth').replaceAll('{{args.pod-template-hash}}', 'new');

/** A counter of auth's answers, growing by `perInterval` every 15 s for five minutes. */
function answers(labels: { hash?: string; route: string; status: number; service?: string }, perInterval: number) {
  return { series: `http_requests_total{service="${labels.service ?? 'auth'}",rollouts_pod_template_hash="${labels.hash ?? 'new'}",method="GET",route="${labels.route}",status="${labels.status}"}`, values: `0+${perInterval}x20` };
}

// What the kubelet and Prometheus ask each pod of auth in 15 s: /ready every 5 s, /health every 10 s, a scrape.
const probes = [answers({ route: '/ready', status: 200 }, 3), answers({ route: '/health', status: 200 }, 1.5), answers({ route: '/metrics', status: 200 }, 1)];

const cases = [
  { name: 'a healthy new version', series: [...probes, answers({ route: '/v1/login', status: 200 }, 100)], verdict: 'Successful' },
  { name: 'a healthy new version with a rare failure (2 %)', series: [...probes, answers({ route: '/v1/login', status: 200 }, 98), answers({ route: '/v1/login', status: 502 }, 2)], verdict: 'Successful' },
  { name: 'a tenth of the new version\'s requests failing', series: [...probes, answers({ route: '/v1/login', status: 200 }, 90), answers({ route: '/v1/login', status: 503 }, 10)], verdict: 'Failed' },
  // Regression: the probes' 200s made 0.957 of this, and the analysis passed.
  { name: 'every real request failing, slowly, among the probes', series: [...probes, answers({ route: '/v1/login', status: 500 }, 0.25)], verdict: 'Failed' },
  { name: 'the old version\'s good answers beside the new one\'s failures', series: [answers({ hash: 'old', route: '/v1/login', status: 200 }, 1000), answers({ route: '/v1/login', status: 500 }, 10)], verdict: 'Failed' },
  // Neither success nor failure: Inconclusive, for a person to judge.
  { name: 'no real request to the new version (probes only)', series: probes, verdict: 'Inconclusive' },
  { name: 'the new version never scraped', series: [answers({ hash: 'old', route: '/v1/login', status: 200 }, 100)], verdict: 'Inconclusive' },
] as const;

/** The comparison and threshold of one of the template's conditions (`result[0] >= 0.95`), as PromQL. */
function asPromql(condition: string): string {
  const match = /^result\[0\] (>=|<) (\d+(?:\.\d+)?)$/.exec(condition);
  if (!match) throw new Error(`a condition this test does not read: ${condition}`);
  return `lift:analysis_success_rate ${match[1]} bool ${match[2]}`;
}

const rules = () => stringify({ groups: [{ name: 'analysis', rules: [{ record: 'lift:analysis_success_rate', expr: query }] }] });

describe.skipIf(skip)('the success-rate analysis query, evaluated by promtool', () => {
  const scratch = scratchDirectories();

  it('is valid PromQL (as a recording rule), with the thresholds Argo applies', () => {
    const directory = scratch('lift-analysis-');
    writeFileSync(join(directory, 'rules.yml'), rules());
    const check = spawnSync('promtool', ['check', 'rules', join(directory, 'rules.yml')], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect([metric?.successCondition, metric?.failureCondition]).toEqual(['result[0] >= 0.95', 'result[0] < 0.95']);
  });

  // Argo's verdict on a measurement: Successful when the success condition holds, Failed when the
  // failure condition does, Inconclusive when neither (NaN compares false both ways, in Go and PromQL).
  it.each(cases)('$name → $verdict', ({ series, verdict }) => {
    const directory = scratch('lift-analysis-');
    writeFileSync(join(directory, 'rules.yml'), rules());
    const sample = (value: number) => [{ labels: '{}', value }];
    writeFileSync(
      join(directory, 'tests.yml'),
      stringify({
        rule_files: ['rules.yml'],
        evaluation_interval: '15s',
        tests: [
          {
            interval: '15s',
            input_series: series,
            promql_expr_test: [
              { expr: asPromql(metric?.successCondition ?? ''), eval_time: '4m', exp_samples: sample(verdict === 'Successful' ? 1 : 0) },
              { expr: asPromql(metric?.failureCondition ?? ''), eval_time: '4m', exp_samples: sample(verdict === 'Failed' ? 1 : 0) },
            ],
          },
        ],
      }),
    );
    const run = spawnSync('promtool', ['test', 'rules', 'tests.yml'], { cwd: directory, encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
});
