# shellcheck shell=bash
# What every script in scripts/ shares: where the repository is, how to run the lift command and
# Docker Compose, and one way to fail. Sourced, never run.

LIFT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly LIFT_ROOT
SCRIPT_NAME="$(basename "$0")"
readonly SCRIPT_NAME
# The six services, with their names as compose, images and <SERVICE>_VERSION use them.
readonly LIFT_SERVICES=(gateway auth billing memory observability registry)

# fail MESSAGE: one line on stderr naming the script, exit 1.
fail() {
  echo "$SCRIPT_NAME: $*" >&2
  exit 1
}

# usage_error MESSAGE: a wrong argument; exit 2, as the lift command does.
usage_error() {
  echo "$SCRIPT_NAME: $*" >&2
  echo "Run '$SCRIPT_NAME --help' for usage." >&2
  exit 2
}

say() {
  echo "==> $*"
}

# lift ARGS…: the lift command of this repository (LIFT_HOME, if set, says where .env.local and data/ are).
lift() {
  command -v node >/dev/null 2>&1 || fail "node is not installed; install Node.js 20 or newer"
  node "$LIFT_ROOT/cli/bin/lift.js" "$@"
}

# require_tool NAME WHY: a command the script needs, named with what it is for when missing.
require_tool() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed; it is needed $2"
}

is_service() {
  local candidate="$1" service
  for service in "${LIFT_SERVICES[@]}"; do
    [[ "$service" == "$candidate" ]] && return 0
  done
  return 1
}

# require_container_engine: Docker (or a compatible engine) must answer, as the seed checks.
require_container_engine() {
  command -v docker >/dev/null 2>&1 || fail "docker is not installed; install Docker (or use 'native' mode, which needs only Node.js)"
  docker info >/dev/null 2>&1 || fail "the container engine is not running ('docker info' failed); start Docker first"
}

# compose ARGS…: Compose v2 ('docker compose') when present, else v1 ('docker-compose'), which
# ignores deploy: (the replicas and memory limits) unless run with --compatibility.
compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose --compatibility "$@"
  else
    fail "neither 'docker compose' (Compose v2) nor 'docker-compose' is installed"
  fi
}

# compose_file MODE: the compose file of a mode, which must exist.
compose_file() {
  local file="$LIFT_ROOT/docker-compose.$1.yml"
  [[ -f "$file" ]] || fail "$file does not exist"
  echo "$file"
}

# require_env_file FILE: production settings live in .env (not .env.local, which is development's).
require_env_file() {
  [[ -f "$1" ]] || fail "$1 does not exist; production reads .env (not .env.local): set PUBLIC_URL, CORS_ORIGINS, LIFT_ADMIN_EMAIL and the <SERVICE>_VERSION tags there, and the files in secrets/ (docs/deployment/production-compose.md)"
}
