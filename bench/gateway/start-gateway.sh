#!/usr/bin/env bash
# EXTRA_CMD for the shared harness: the bundled gateway as `lift up` runs it, in production mode,
# with every feature on: JWT check, rate limits (per address and organisation, far above the
# load so none is refused), quotas and metering (against the stand-in), metrics, access log.
# The harness sets PORT, UPSTREAM_URL, JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STAND_IN="http://127.0.0.1:${STAND_IN_PORT:-18090}"
SCRATCH="$(mktemp -d /tmp/lift-gateway-bench-XXXXXX)"
export NODE_ENV=production LOG_LEVEL=info HOST=127.0.0.1 \
  CORS_ORIGINS=https://console.bench.example \
  JWT_ALGORITHM=HS256 \
  MEMORY_SERVICE_URL="$UPSTREAM_URL" AUTH_SERVICE_URL="$STAND_IN" BILLING_SERVICE_URL="$STAND_IN" \
  REGISTRY_SERVICE_URL="$STAND_IN" \
  SERVICE_CLIENT_SECRETS=gateway:bench-gateway-secret \
  RATE_LIMIT_PER_IP=1000000000 RATE_LIMIT_PER_ORG=1000000000 \
  EVENT_OUTBOX_FILE="$SCRATCH/outbox.db"
cd "$SCRATCH"
# LIFT_BENCH_ENV="NAME=value …" overrides any of the above, to measure what one feature costs.
exec env ${LIFT_BENCH_ENV:-} node ${LIFT_NODE_FLAGS:-} "$REPO/dist/services/gateway/main.js"
