#!/usr/bin/env bash
# Deploys the production stack: with Docker Compose, or to Kubernetes from a k8s/ overlay.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/kubernetes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/kubernetes.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME [--target compose|kubernetes] [--env-file FILE] [--overlay DIR] [--context NAME] [--timeout SECONDS]

  --target compose     (default) docker-compose.prod.yml: validate, pull the images the
                       <SERVICE>_VERSION tags name, up -d, then wait until every
                       container's healthcheck passes (each service's /ready)
  --target kubernetes  a k8s/ overlay: render it (kubectl kustomize), kubectl apply -k, then
                       wait for each Argo Rollout (kubectl argo rollouts status; the blue/green
                       gateway until its new version waits to be promoted) and each plain
                       Deployment (kubectl rollout status), and say where the platform answers
  --env-file FILE      compose: the production settings (default: .env in the repository)
  --overlay DIR        kubernetes: the overlay (default: k8s/overlays/prod; k8s/overlays/dev
                       for a local cluster)
  --context NAME       kubernetes: the kubectl context (default: the current one)
  --timeout SECONDS    how long to wait: compose, for healthy (default 180); kubernetes, for each
                       rollout (default 600: the canary steps take four minutes at least)
Going back to the previous image of a service: scripts/update-services.sh --rollback <service>,
with --target kubernetes on a cluster (docs/deployment/rollbacks.md,
docs/deployment/kubernetes-guide.md).
USAGE
}

target=compose
env_file="$LIFT_ROOT/.env"
overlay="$LIFT_ROOT/k8s/overlays/prod"
timeout=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --target) [[ $# -ge 2 ]] || usage_error "--target needs compose or kubernetes"; target="$2"; shift ;;
    --env-file) [[ $# -ge 2 ]] || usage_error "--env-file needs a file"; env_file="$2"; shift ;;
    --overlay) [[ $# -ge 2 ]] || usage_error "--overlay needs a directory"; overlay="$2"; shift ;;
    --context) [[ $# -ge 2 && -n "$2" ]] || usage_error "--context needs a kubectl context name"; kube_context="$2"; shift ;;
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

# --- Kubernetes ---------------------------------------------------------------------------------
deploy_kubernetes() {
  require_kubectl
  rendered="$(mktemp)"
  trap 'rm -f "$rendered"' EXIT
  say "rendering $overlay (kubectl kustomize)"
  render_overlay "$overlay" "$rendered"
  [[ -z "$(objects_of Rollout "$rendered")" ]] || require_rollouts_plugin
  say "applying $overlay${kube_context:+ to context $kube_context}"
  kube apply -k "$overlay"
  wait_for_workloads "$rendered" "$timeout"
  public_address "$rendered"
}

case "$target" in
  compose) timeout="${timeout:-180}"; deploy_compose ;;
  kubernetes) timeout="${timeout:-600}"; deploy_kubernetes ;;
  *) usage_error "unknown target '$target'; choose compose or kubernetes" ;;
esac
