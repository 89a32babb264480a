#!/usr/bin/env bash
# Starts Lift OS Core: natively with the lift command, or in containers with Docker Compose.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME [native|dev|prod|test] [options passed on…]

  native  lift up: the six services as Node processes on SQLite (the default; no Docker).
          Options go to lift up, e.g. --detach, --with-modules, or service names.
  dev     docker-compose.dev.yml up --build (sources mounted), in the foreground
  prod    docker-compose.prod.yml up -d with .env (production reads .env, not .env.local)
  test    docker-compose.test.yml up --build --abort-on-container-exit (the suite's exit code)
Container modes need a running container engine ('docker info'); Compose v2 is used when
present, docker-compose (v1) otherwise. scripts/stop-services.sh stops what this started.
USAGE
}

mode="${1:-native}"
[[ $# -eq 0 ]] || shift
case "$mode" in
  -h | --help) usage; exit 0 ;;
  native)
    require_tool node "to run the platform natively (Node.js 20 or newer)"
    say "lift up $*"
    exec node "$LIFT_ROOT/cli/bin/lift.js" up "$@"
    ;;
  dev)
    require_container_engine
    file="$(compose_file dev)"
    say "development containers ($file)"
    compose -f "$file" up --build "$@"
    ;;
  prod)
    require_container_engine
    file="$(compose_file prod)"
    require_env_file "$LIFT_ROOT/.env"
    say "production containers ($file, settings from .env)"
    compose -f "$file" --env-file "$LIFT_ROOT/.env" up -d "$@"
    ;;
  test)
    require_container_engine
    file="$(compose_file test)"
    say "test containers ($file)"
    compose -f "$file" up --build --abort-on-container-exit "$@"
    ;;
  *) usage_error "unknown mode '$mode'; choose native, dev, prod or test" ;;
esac
