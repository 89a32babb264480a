#!/usr/bin/env bash
# Moves one service to another image tag, or back to the previous one: in the production compose
# stack (.env), or on Kubernetes (the overlay's kustomization.yaml, then Argo Rollouts).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=lib/kubernetes.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/kubernetes.sh"
# shellcheck source=lib/overlay-tags.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/overlay-tags.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME <service> <version> [--env-file FILE] [--env-only]
       $SCRIPT_NAME --rollback <service> [--env-file FILE] [--env-only]
       $SCRIPT_NAME --target kubernetes <service> <version> [--overlay DIR] [--context NAME] [--timeout SECONDS] [--edit-only]
       $SCRIPT_NAME --target kubernetes --rollback|--promote|--abort <service> [--overlay DIR] [--context NAME] [--timeout SECONDS]

Compose (the default): sets <SERVICE>_VERSION in .env (what docker-compose.prod.yml reads; the
seed's script edited .env.local, which production does not read), keeps the old tag as
<SERVICE>_PREVIOUS_VERSION, pulls the new image and recreates only that service (--no-deps). If
the pull fails, .env is put back. --rollback swaps <SERVICE>_VERSION and <SERVICE>_PREVIOUS_VERSION
and does the same.

Kubernetes: sets the newTag of lift/<service> in the overlay's kustomization.yaml and keeps the old
tag beside it ('# previous: <tag>'), checks that the overlay renders, applies the whole overlay
(kubectl apply -k) and waits for that service's rollout: canary steps and analysis, or for the
gateway (blue/green) until the new version waits behind gateway-preview to be promoted. If the
overlay does not render or the apply fails, the file is put back. --rollback swaps the tag and
its previous one and applies, so the overlay and the cluster agree.

  service      one of: ${LIFT_SERVICES[*]}
  version      an image tag: letters, digits, '_', '.', '-'; at most 128, not starting with '.' or '-'
  --target     compose (default) or kubernetes
  --env-file   compose: the production settings (default: .env in the repository)
  --env-only   compose: only edit the file; pull and restart another way (or later)
  --overlay    kubernetes: the overlay to edit and apply (default: k8s/overlays/prod)
  --context    kubernetes: the kubectl context (default: the current one)
  --timeout    kubernetes: how long to wait for the rollout, in seconds (default 600)
  --edit-only  kubernetes: only edit kustomization.yaml (checked by rendering it); apply later
               with scripts/deploy-prod.sh --target kubernetes, or through your GitOps tool
  --promote    kubernetes: kubectl argo rollouts promote <service> (the gateway after its
               preview is checked; a canary: skip the rest of the current pause), then wait
  --abort      kubernetes: kubectl argo rollouts abort <service>: the stable version takes all
               the traffic again; the overlay still names the new tag, so follow with --rollback
               (or deploy a fixed version)
A service whose new version migrated its database may not run on the old tag again: see
docs/deployment/rollbacks.md before rolling back.
USAGE
}

target=compose
env_file="$LIFT_ROOT/.env"
env_only=false
rollback=false
action=update
overlay="$LIFT_ROOT/k8s/overlays/prod"
timeout=600
edit_only=false
compose_options=()
kubernetes_options=()
positional=()
choose_action() {
  [[ "$action" == update || "$action" == "$1" ]] || usage_error "give one of --rollback, --promote and --abort"
  action="$1"
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --target) [[ $# -ge 2 ]] || usage_error "--target needs compose or kubernetes"; target="$2"; shift ;;
    --env-file) [[ $# -ge 2 ]] || usage_error "--env-file needs a file"; env_file="$2"; compose_options+=("$1"); shift ;;
    --env-only) env_only=true; compose_options+=("$1") ;;
    --rollback) rollback=true; choose_action rollback ;;
    --promote | --abort) choose_action "${1#--}"; kubernetes_options+=("$1") ;;
    --overlay) [[ $# -ge 2 ]] || usage_error "--overlay needs a directory"; overlay="$2"; kubernetes_options+=("$1"); shift ;;
    --context) [[ $# -ge 2 && -n "$2" ]] || usage_error "--context needs a kubectl context name"; kube_context="$2"; kubernetes_options+=("$1"); shift ;;
    --timeout) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -gt 0 ]] || usage_error "--timeout needs a number of seconds"; timeout="$2"; kubernetes_options+=("$1"); shift ;;
    --edit-only) edit_only=true; kubernetes_options+=("$1") ;;
    -*) usage_error "unknown option '$1'" ;;
    *) positional+=("$1") ;;
  esac
  shift
done

case "$target" in
  compose) [[ ${#kubernetes_options[@]} -eq 0 ]] || usage_error "${kubernetes_options[0]} is for --target kubernetes" ;;
  kubernetes) [[ ${#compose_options[@]} -eq 0 ]] || usage_error "${compose_options[0]} is for --target compose; with kubernetes the overlay holds the tags (--overlay)" ;;
  *) usage_error "unknown target '$target'; choose compose or kubernetes" ;;
esac
if [[ "$action" != update ]]; then
  [[ ${#positional[@]} -eq 1 ]] || usage_error "--$action takes one service"
else
  [[ ${#positional[@]} -eq 2 ]] || usage_error "give a service and a version, e.g. '$SCRIPT_NAME auth 1.2.0'"
fi
service="${positional[0]}"
is_service "$service" || usage_error "unknown service '$service'; choose from ${LIFT_SERVICES[*]}"
tag_pattern='^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$'

# --- Kubernetes ---------------------------------------------------------------------------------
# promote_or_abort: the Argo Rollouts commands that change no file.
promote_or_abort() {
  local rendered="$1" namespace
  [[ "$(workload_of "$service" "$rendered")" == Rollout ]] \
    || fail "$overlay runs $service as a plain Deployment (no Argo Rollouts): there is nothing to $action"
  require_rollouts_plugin
  namespace="$(objects_of Rollout "$rendered" | awk -F '\t' -v name="$service" '$1 == name { print $2 }')"
  say "kubectl argo rollouts $action $service -n $namespace"
  rollouts "$action" "$service" -n "$namespace"
  if [[ "$action" == promote ]]; then
    # Watched, not polled: right after the promote the Rollout may still read Paused, and a
    # watch returns only at Healthy or Degraded.
    say "waiting for rollout $service (up to ${timeout}s)"
    rollouts status "$service" -n "$namespace" --timeout "${timeout}s" \
      || fail "rollout $service did not become Healthy after the promotion; 'kubectl argo rollouts get rollout $service -n $namespace' says why"
    say "$service is Healthy"
  else
    say "$service: the stable version takes the traffic again; the Rollout stays Degraded (aborted) until the overlay goes back ('$SCRIPT_NAME --target kubernetes --rollback $service') or names a fixed version"
  fi
}

update_kubernetes() {
  # rendered and backup stay global: the EXIT trap removes them after this function has returned.
  local kustomization="$overlay/kustomization.yaml" current previous version
  if [[ "$action" == update && ! "${positional[1]}" =~ $tag_pattern ]]; then
    usage_error "'${positional[1]}' is not a valid image tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')"
  fi
  [[ -f "$kustomization" ]] || fail "$kustomization does not exist; name an overlay with --overlay (default k8s/overlays/prod)"
  require_kubectl
  rendered="$(mktemp)"
  backup="$(mktemp)"
  trap 'rm -f "$rendered" "$backup"' EXIT
  if [[ "$action" == promote || "$action" == abort ]]; then
    render_overlay "$overlay" "$rendered"
    promote_or_abort "$rendered"
    return
  fi

  read -r current previous < <(overlay_tag "$kustomization" "$service") || true
  [[ -n "${current:-}" ]] || fail "$kustomization has no newTag for lift/$service under images: (add '- name: lift/$service' with 'newTag: \"<tag>\"')"
  [[ "$current" =~ $tag_pattern ]] || fail "the newTag of lift/$service in $kustomization is '$current', which is not an image tag; correct it by hand first"
  if [[ "$action" == rollback ]]; then
    version="${previous:-}"
    [[ -n "$version" ]] || fail "lift/$service in $kustomization has no '# previous: <tag>' beside its newTag: there is no earlier version of $service to go back to"
    [[ "$version" =~ $tag_pattern ]] || fail "the previous tag of lift/$service in $kustomization is '$version', which is not an image tag; correct it by hand first"
  else
    version="${positional[1]}"
  fi
  [[ "$version" != "$current" ]] || { say "$service is at $version already (lift/$service in $kustomization)"; exit 0; }

  cp "$kustomization" "$backup"
  write_overlay_tag "$kustomization" "$service" "$version" "$current"
  if ! (render_overlay "$overlay" "$rendered"); then
    cat "$backup" >"$kustomization"
    fail "$kustomization is back as it was (lift/$service at $current)"
  fi
  say "lift/$service: $current -> $version (# previous: $current) in $kustomization"
  [[ "$edit_only" == false ]] || exit 0

  [[ "$(workload_of "$service" "$rendered")" != Rollout ]] || require_rollouts_plugin
  say "applying $overlay"
  if ! kube apply -k "$overlay"; then
    cat "$backup" >"$kustomization"
    fail "kubectl apply failed; $kustomization is back as it was (lift/$service at $current); what the apply did change stays: 'kubectl get -k $overlay' shows it"
  fi
  wait_for_workloads "$rendered" "$timeout" "$service"
  say "'$SCRIPT_NAME --target kubernetes --rollback $service' goes back to $current"
}

if [[ "$target" == kubernetes ]]; then
  update_kubernetes
  exit 0
fi

# --- Compose ------------------------------------------------------------------------------------
[[ -f "$env_file" ]] || fail "$env_file does not exist; production reads .env: copy .env.example to .env and set what docs/deployment/production-compose.md lists first"

variable="$(tr '[:lower:]' '[:upper:]' <<<"$service")_VERSION"
previous_variable="$(tr '[:lower:]' '[:upper:]' <<<"$service")_PREVIOUS_VERSION"

# value_of NAME: the last NAME=… line's value (the one Compose reads) as Compose reads it: an
# unquoted value ends before ' #', quotes (single or double) are taken off; empty if none.
value_of() {
  local line
  line="$(grep -E "^[[:space:]]*$1=" "$env_file" | tail -n 1 || true)"
  line="${line#*=}"
  if [[ "$line" =~ ^[[:space:]]*\"([^\"]*)\" || "$line" =~ ^[[:space:]]*\'([^\']*)\' ]]; then
    line="${BASH_REMATCH[1]}"
  else
    line="${line%%[[:space:]]#*}"
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
  fi
  echo "$line"
}

# set_value NAME VALUE: replaces NAME's last line (or appends one). Written through the file, so
# its mode, owner and any symlink stay as they are.
set_value() {
  local name="$1" value="$2" temporary
  temporary="$(mktemp)"
  awk -v name="$name" -v value="$value" '
    { lines[NR] = $0; if ($0 ~ "^[[:space:]]*" name "=") last = NR }
    END {
      for (i = 1; i <= NR; i++) print (i == last ? name "=" value : lines[i])
      if (!last) print name "=" value
    }' "$env_file" >"$temporary"
  cat "$temporary" >"$env_file"
  rm -f "$temporary"
}

current="$(value_of "$variable")"
current="${current:-latest}"
[[ "$current" =~ $tag_pattern ]] || fail "$variable in $env_file is '$current', which is not an image tag; correct it by hand first"
if [[ "$rollback" == true ]]; then
  version="$(value_of "$previous_variable")"
  [[ -n "$version" ]] || fail "$previous_variable is not set in $env_file: there is no earlier version of $service to go back to"
else
  version="${positional[1]}"
fi
[[ "$version" =~ $tag_pattern ]] || usage_error "'$version' is not a valid image tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')"
[[ "$version" != "$current" ]] || { say "$service is at $version already ($variable in $env_file)"; exit 0; }

if [[ "$env_only" == false ]]; then
  require_container_engine
  file="$(compose_file prod)"
fi

backup="$(mktemp)"
cp "$env_file" "$backup"
trap 'rm -f "$backup"' EXIT
set_value "$variable" "$version"
set_value "$previous_variable" "$current"
say "$variable: $current -> $version ($previous_variable=$current) in $env_file"
[[ "$env_only" == false ]] || exit 0

say "pulling $service:$version"
if ! compose -f "$file" --env-file "$env_file" pull "$service"; then
  cat "$backup" >"$env_file"
  fail "could not pull $service at $version; $env_file is back as it was ($variable=$current)"
fi
say "recreating $service only"
compose -f "$file" --env-file "$env_file" up -d --no-deps "$service"
say "$service runs $version; '$SCRIPT_NAME --rollback $service' goes back to $current"
