#!/usr/bin/env bash
# Prepares a development installation: dependencies, .env.local, data/, migrations and demo data.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME [--skip-install] [--no-seed]

Sets up Lift OS Core for development, natively (no Docker needed):
  1. npm install                       (--skip-install leaves node_modules as it is)
  2. lift setup: .env.local from .env.example (mode 0600; an existing one is kept), the first
     platform admin and the services' client secrets in it, and data/
  3. lift up --detach: each service migrates its database as it starts
  4. lift seed: a demo organisation (demo-owner@lift.local, demo-member@lift.local), the template
     module, memories and usage (--no-seed skips it); then lift down
Running it again changes nothing that is there. If the platform already runs, it is seeded and
left running. LIFT_HOME (default: the repository) is where .env.local and data/ go.
USAGE
}

install=true
seed=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --skip-install) install=false ;;
    --no-seed) seed=false ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
  shift
done

require_tool node "to run Lift OS Core (Node.js 20 or newer)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" -ge 20 ]] || fail "Node.js $(node --version) is too old; Lift OS Core needs 20 or newer"

if [[ "$install" == true ]]; then
  require_tool npm "to install the dependencies (it comes with Node.js)"
  say "npm install"
  (cd "$LIFT_ROOT" && npm install)
fi

say "lift setup"
lift setup

if lift status >/dev/null 2>&1; then
  say "the platform is running already: seeding it, and leaving it running"
  [[ "$seed" == false ]] || lift seed
else
  say "lift up --detach (the services migrate their databases as they start)"
  lift up --detach
  # Whatever happens from here, the platform this script started is stopped again.
  trap 'say "lift down"; lift down' EXIT
  [[ "$seed" == false ]] || lift seed
fi

say "done; start the platform with scripts/start-services.sh native (or npm start)"
