#!/usr/bin/env bash
# The Lift gateway in the shared harness (../shared/bench/gateway), against nginx and bare Node
# proxies, in one run. Run by hand from the repository root: bash bench/gateway/run.sh
# Extra arguments go to the harness as environment, e.g. ONLY=fastify-undici,lift ROUNDS=...
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HARNESS_SOURCE="${HARNESS_SOURCE:-$REPO/../shared/bench/gateway}"
SCRATCH="${BENCH_SCRATCH:-/tmp/lift-gateway-harness}"

# The harness is copied (it must not be run in place). Its token carries only sub and scope;
# the platform's tokens are RFC 9068 access tokens with org, roles, perms and jti, which the
# gateway requires, so the copy signs those claims too. Every candidate gets the same token.
if [ ! -f "$SCRATCH/bench.js" ]; then
  mkdir -p "$SCRATCH"
  cp -r "$HARNESS_SOURCE/." "$SCRATCH/"
  node -e '
    const fs = require("node:fs"); const file = process.argv[1];
    const source = fs.readFileSync(file, "utf8")
      .replace("new SignJWT({ sub: \x27bench-user\x27, scope: \x27read\x27 })", "new SignJWT({ sub: \x27bench-user\x27, scope: \x27read\x27, org: \x27bench-org\x27, roles: [\x27member\x27], perms: [\x27memory:read\x27], jti: \x27bench-token\x27 })")
      .replace(".setProtectedHeader({ alg: \x27HS256\x27 })", ".setProtectedHeader({ alg: \x27HS256\x27, typ: \x27at+jwt\x27 })");
    if (!source.includes("bench-org") || !source.includes("at+jwt")) { console.error("could not patch the harness token"); process.exit(1); }
    fs.writeFileSync(file, source);' "$SCRATCH/bench.js"
fi

(cd "$REPO" && node --import tsx cli/src/main.ts build)
STAND_IN_PORT="${STAND_IN_PORT:-18090}"
taskset -c "${UPSTREAM_CPUS:-0}" node "$REPO/bench/gateway/billing-stand-in.mjs" &
STAND_IN_PID=$!
trap 'kill $STAND_IN_PID 2>/dev/null || true' EXIT

cd "$REPO"
EXTRA_NAME=lift EXTRA_CMD="STAND_IN_PORT=$STAND_IN_PORT bash bench/gateway/start-gateway.sh" EXTRA_URL="http://127.0.0.1:${LIFT_BENCH_PORT:-18080}/memory/echo" \
  "$SCRATCH/run.sh"
