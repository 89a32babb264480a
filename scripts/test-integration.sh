#!/usr/bin/env bash
# The seed's integration run: the running platform's health, then the contract, integration and
# e2e suites.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME [--no-health] [--no-contracts] [--no-integration] [--no-e2e]

  1. health: lift status — every service of the running platform must be ready (exit 1 names
     the ones that are not). Skipped, with a note, when nothing answers on the seed's ports.
  2. contracts: npx vitest run tests/contracts
  3. integration: npx vitest run tests/integration — the services on free ports of their own, so
     it runs beside a running platform (TEST_DATABASE_URL / TEST_REDIS_URL add the PostgreSQL
     and Redis suites)
  4. e2e: npx vitest run tests/e2e — it starts its own platform on the seed's ports (8000-8005),
     so it is skipped, with a note, while a platform runs there; stop it first
     (scripts/stop-services.sh) to run it.
USAGE
}

health=true
contracts=true
integration=true
e2e=true
skipped=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --no-health) health=false ;;
    --no-contracts) contracts=false ;;
    --no-integration) integration=false ;;
    --no-e2e) e2e=false ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
  shift
done

# Whether the gateway answers on its seed port: a platform runs there.
platform_running() {
  curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8000/health 2>/dev/null
}

require_tool curl "to check the running platform"
running=false
if platform_running; then running=true; fi

if [[ "$health" == true ]]; then
  if [[ "$running" == true ]]; then
    say "health of the running platform (lift status)"
    lift status || fail "not every service is ready (see the table above); 'lift logs <service>' says why"
  else
    say "health: nothing answers on http://127.0.0.1:8000; skipped (start the platform with scripts/start-services.sh to check it)"
    skipped+=(health)
  fi
fi

cd "$LIFT_ROOT"
if [[ "$contracts" == true ]]; then
  say "contract tests (tests/contracts)"
  npx vitest run tests/contracts
fi

if [[ "$integration" == true ]]; then
  say "integration tests (tests/integration)"
  npx vitest run tests/integration
fi

if [[ "$e2e" == true ]]; then
  if [[ "$running" == true ]]; then
    say "e2e: SKIPPED — the suite runs its own platform on ports 8000-8005, where one runs now; stop it (scripts/stop-services.sh) and run '$SCRIPT_NAME --no-health --no-contracts --no-integration'"
    skipped+=(e2e)
  else
    say "end-to-end tests (tests/e2e)"
    npx vitest run tests/e2e
  fi
fi

if [[ ${#skipped[@]} -gt 0 ]]; then
  say "integration testing complete, except: ${skipped[*]} (see above)"
else
  say "integration testing complete"
fi
