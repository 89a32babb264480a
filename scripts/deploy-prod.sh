#!/usr/bin/env bash
# Deploys the production stack: Docker Compose today; Kubernetes arrives with k8s/ (issue #18).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME [--target compose|kubernetes] [--env-file FILE] [--timeout SECONDS]

  --target compose     (default) docker-compose.prod.yml: validate, pull the images the
                       <SERVICE>_VERSION tags name, up -d, then wait until every
                       container's healthcheck passes (each service's /ready)
  --target kubernetes  not yet: arrives with the k8s/ manifests (issue #18)
  --env-file FILE      the production settings (default: .env in the repository)
  --timeout SECONDS    how long to wait for healthy (default 180)
Going back to the previous image of a service: scripts/update-services.sh --rollback <service>
(docs/deployment/rollbacks.md).
USAGE
}

target=compose
env_file="$LIFT_ROOT/.env"
timeout=180
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --target) [[ $# -ge 2 ]] || usage_error "--target needs compose or kubernetes"; target="$2"; shift ;;
    --env-file) [[ $# -ge 2 ]] || usage_error "--env-file needs a file"; env_file="$2"; shift ;;
    --timeout) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || usage_error "--timeout needs a number of seconds"; timeout="$2"; shift ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
  shift
done

deploy_compose() {
  require_container_engine
  require_env_file "$env_file"
  local file
  file="$(compose_file prod)"
  say "validating $file with $env_file"
  compose -f "$file" --env-file "$env_file" config -q
  say "pulling the images"
  compose -f "$file" --env-file "$env_file" pull
  say "starting (up -d)"
  compose -f "$file" --env-file "$env_file" up -d --remove-orphans
  wait_until_healthy "$file"
}

# The containers' own healthchecks (each service's /ready, the proxy's): the gateway publishes no
# port in production, and its /health/detailed answers only for ALLOWED_HOSTS, so the host cannot
# simply ask it.
unhealthy_containers() {
  local file="$1" id state
  for id in $(compose -f "$file" --env-file "$env_file" ps -q); do
    state="$(docker inspect --format '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id")"
    [[ "$state" == *" healthy" || "$state" == *" running" ]] || echo "$state"
  done
}

wait_until_healthy() {
  local file="$1" deadline=$((SECONDS + timeout)) waiting
  say "waiting until every container is healthy (up to ${timeout}s)"
  while waiting="$(unhealthy_containers "$file")" && [[ -n "$waiting" ]]; do
    if ((SECONDS >= deadline)); then
      echo "$waiting" >&2
      fail "not healthy after ${timeout}s; 'docker compose -f docker-compose.prod.yml ps' and 'logs' say why"
    fi
    sleep 2
  done
  say "healthy"
}

# --- Kubernetes (issue #18) ---------------------------------------------------------------------
# TODO(#18): when k8s/ exists: kubectl apply -k k8s/overlays/production, then
# kubectl rollout status for each Deployment (or Argo Rollout) with --timeout "${timeout}s".
deploy_kubernetes() {
  fail "--target kubernetes arrives with the k8s/ manifests (issue #18); deploy with --target compose for now"
}

case "$target" in
  compose) deploy_compose ;;
  kubernetes) deploy_kubernetes ;;
  *) usage_error "unknown target '$target'; choose compose or kubernetes" ;;
esac
