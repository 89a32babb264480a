#!/usr/bin/env bash
# Stops what scripts/start-services.sh started.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME [native|dev|prod|test]

  native  lift down: stops a detached lift up gracefully (the default)
  dev, prod, test
          docker compose down for that mode's compose file (volumes, and so the data, are kept)
USAGE
}

[[ $# -le 1 ]] || usage_error "too many arguments; give one mode"
mode="${1:-native}"
case "$mode" in
  -h | --help) usage; exit 0 ;;
  native) lift down ;;
  dev | test)
    require_container_engine
    compose -f "$(compose_file "$mode")" down
    ;;
  prod)
    require_container_engine
    require_env_file "$LIFT_ROOT/.env"
    compose -f "$(compose_file prod)" --env-file "$LIFT_ROOT/.env" down
    ;;
  *) usage_error "unknown mode '$mode'; choose native, dev, prod or test" ;;
esac
