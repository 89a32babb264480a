#!/usr/bin/env bash
# What tracing costs the gateway per request: two harness runs (bench/gateway/run.sh), the first
# with tracing off, the second with the OTLP exporter pointed at a local sink that discards
# everything (otlp-sink.mjs, on the upstream's core, outside the measured process tree). Both
# runs include the bare fastify + undici proxy as the anchor; compare the ratios, not the runs.
# Run by hand from the repository root: bash bench/gateway/tracing-cost.sh
# ONLY, ROUNDS and the other harness knobs pass through; LIFT_BENCH_ENV adds to both runs.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRATCH="${BENCH_SCRATCH:-/tmp/lift-gateway-harness}"
SINK_PORT="${OTLP_SINK_PORT:-18091}"
export ONLY="${ONLY:-fastify-undici}"

taskset -c "${UPSTREAM_CPUS:-0}" env OTLP_SINK_PORT="$SINK_PORT" node "$REPO/bench/gateway/otlp-sink.mjs" &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null || true' EXIT

echo "== tracing off"
bash "$REPO/bench/gateway/run.sh"
cp "$SCRATCH/results/latest.md" "$SCRATCH/results/tracing-off.md"

echo "== tracing on (OTLP http/protobuf to the sink, every request sampled)"
LIFT_BENCH_ENV="${LIFT_BENCH_ENV:-} OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$SINK_PORT" bash "$REPO/bench/gateway/run.sh"
cp "$SCRATCH/results/latest.md" "$SCRATCH/results/tracing-on.md"

echo "== tracing off"; cat "$SCRATCH/results/tracing-off.md"
echo "== tracing on"; cat "$SCRATCH/results/tracing-on.md"
