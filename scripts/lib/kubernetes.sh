# shellcheck shell=bash
# What deploy-prod.sh and update-services.sh share for --target kubernetes: kubectl with the chosen
# context, rendering an overlay, reading what the rendering holds, and waiting for the workloads.
# Sourced after common.sh, never run. The caller sets kube_context (may be empty).

kube_context=""

# kube ARGS…: kubectl, in the chosen context. The flag goes last: kubectl refuses flags before a
# plugin's name ('kubectl --context x argo …'), and takes them after any command.
kube() {
  local context=()
  [[ -z "$kube_context" ]] || context=(--context "$kube_context")
  kubectl "$@" "${context[@]}"
}

# rollouts ARGS…: the Argo Rollouts kubectl plugin.
rollouts() {
  kube argo rollouts "$@"
}

require_kubectl() {
  require_tool kubectl "for --target kubernetes (https://kubernetes.io/docs/tasks/tools/)"
}

require_rollouts_plugin() {
  kubectl argo rollouts version >/dev/null 2>&1 \
    || fail "the overlay runs Argo Rollouts, and 'kubectl argo rollouts' (the Argo Rollouts kubectl plugin) is not installed: https://argo-rollouts.readthedocs.io/en/stable/installation/#kubectl-plugin-installation"
}

# render_overlay DIR FILE: kubectl kustomize DIR into FILE, or fail with what Kustomize said.
render_overlay() {
  local overlay="$1" into="$2" errors
  [[ -f "$overlay/kustomization.yaml" ]] || fail "$overlay has no kustomization.yaml; name an overlay such as k8s/overlays/prod"
  errors="$(kubectl kustomize "$overlay" 2>&1 >"$into")" || fail "$overlay does not render (kubectl kustomize): $errors"
}

# rendered_objects FILE: one line per object of a rendering, tab-separated: kind, name, namespace
# and what the callers need besides — a Rollout's strategy (blueGreen or canary) and the
# Deployment its workloadRef names, an Ingress's first host. Kustomize writes every object in the
# same shape (keys sorted, two-space indent), which is all this reads.
rendered_objects() {
  awk '
    function emit() { if (kind != "") printf "%s\t%s\t%s\t%s\t%s\n", kind, name, namespace, detail, workload }
    /^---/ { emit(); kind = name = namespace = detail = workload = top = second = ""; next }
    /^[A-Za-z]/ { top = $1; if (top == "kind:") kind = $2; next }
    /^  [A-Za-z]/ { second = $1 }
    top == "metadata:" && /^  name: / { name = $2 }
    top == "metadata:" && /^  namespace: / { namespace = $2 }
    kind == "Rollout" && top == "spec:" && second == "strategy:" && /^    (blueGreen|canary):/ { detail = $1; sub(":", "", detail) }
    kind == "Rollout" && top == "spec:" && second == "workloadRef:" && /^    name: / { workload = $2 }
    kind == "Ingress" && top == "spec:" && second == "rules:" && /^  - host: / && detail == "" { detail = $3 }
    END { emit() }
  ' "$1"
}

# objects_of KIND FILE: the rendered objects of one kind (the fields of rendered_objects after kind).
objects_of() {
  rendered_objects "$2" | awk -F '\t' -v kind="$1" -v OFS='\t' '$1 == kind { print $2, $3, $4, $5 }'
}

# workload_of SERVICE FILE: "Rollout" or "Deployment", whichever runs the service's pods.
workload_of() {
  if objects_of Rollout "$2" | awk -F '\t' -v name="$1" '$1 == name { found = 1 } END { exit !found }'; then
    echo Rollout
  else
    echo Deployment
  fi
}

# wait_for_workloads FILE TIMEOUT [NAME]: every Rollout, and every Deployment and StatefulSet no
# Rollout runs, of the rendering (or only the one called NAME), each given TIMEOUT seconds.
wait_for_workloads() {
  local file="$1" timeout="$2" only="${3:-}" name namespace strategy workload managed=" "
  # The loops read from descriptor 3, so no command inside them can swallow the list.
  while IFS=$'\t' read -r -u 3 name namespace strategy workload; do
    managed+="$workload "
    [[ -z "$only" || "$name" == "$only" ]] || continue
    wait_until_observed "$name" "$namespace" "$workload"
    if [[ "$strategy" == blueGreen ]]; then
      wait_for_blue_green "$name" "$namespace" "$timeout"
    else
      say "waiting for rollout $name (canary steps and analysis; up to ${timeout}s)"
      rollouts status "$name" -n "$namespace" --timeout "${timeout}s" \
        || fail "rollout $name did not become Healthy (above: Degraded is a failed analysis or pods that do not start; a timeout, steps still running). See 'kubectl argo rollouts get rollout $name -n $namespace'"
    fi
  # Canaries first, then blue/green, so the promotion hint is what the run ends with.
  done 3< <(objects_of Rollout "$file" | sort -s -t $'\t' -k3,3r)
  while IFS=$'\t' read -r -u 3 kind name namespace; do
    [[ "$managed" != *" $name "* || "$kind" != Deployment ]] || continue
    [[ -z "$only" || "$name" == "$only" ]] || continue
    say "waiting for ${kind,,} $name (up to ${timeout}s)"
    kube rollout status "${kind,,}/$name" -n "$namespace" --timeout "${timeout}s" \
      || fail "${kind,,} $name is not ready after ${timeout}s; 'kubectl describe pods -n $namespace -l app.kubernetes.io/name=$name' says why"
  done 3< <(rendered_objects "$file" | awk -F '\t' -v OFS='\t' '$1 == "Deployment" || $1 == "StatefulSet" { print $1, $2, $3 }')
}

# wait_until_observed ROLLOUT NAMESPACE DEPLOYMENT: right after an apply, a Rollout still shows the
# state of the template before it (Healthy, say) until its controller has seen the Deployment
# change; it then records the Deployment's generation in an annotation. Wait for that (30 s), so
# the status that follows is the new template's.
wait_until_observed() {
  local name="$1" namespace="$2" deployment="$3" wanted seen deadline=$((SECONDS + 30))
  [[ -n "$deployment" ]] || return 0
  while :; do
    wanted="$(kube get deployment "$deployment" -n "$namespace" -o 'jsonpath={.metadata.generation}')" || fail "could not read deployment $deployment in $namespace"
    seen="$(kube get rollout "$name" -n "$namespace" -o 'jsonpath={.metadata.annotations.rollout\.argoproj\.io/workload-generation}')" || fail "could not read rollout $name in $namespace"
    [[ "$seen" != "$wanted" ]] || return 0
    ((SECONDS < deadline)) || fail "Argo Rollouts has not taken up deployment $deployment's generation $wanted in 30s (rollout $name has seen ${seen:-none}); is the Argo Rollouts controller running?"
    sleep 1
  done
}

# wait_for_blue_green NAME NAMESPACE TIMEOUT: 'kubectl argo rollouts status' returns only at Healthy
# or Degraded, so it would sit out the whole timeout at the pause before promotion and then fail.
# Asked without --watch it answers at once; a Paused blue/green rollout waits for a person.
wait_for_blue_green() {
  local name="$1" namespace="$2" timeout="$3" status deadline=$((SECONDS + $3))
  say "waiting for rollout $name (blue/green: the new version starts behind $name-preview; up to ${timeout}s)"
  while :; do
    status="$(rollouts status "$name" -n "$namespace" --watch=false 2>&1)" || [[ "$status" == Degraded* ]] \
      || fail "could not read the status of rollout $name: $status"
    case "$status" in
      Healthy*) say "$name is Healthy"; return 0 ;;
      Degraded*) fail "rollout $name is Degraded: ${status#*$'\n'} ('kubectl argo rollouts get rollout $name -n $namespace'; the active version keeps serving)" ;;
      Paused*)
        say "$name: the new version is up behind $name-preview and waits for you to promote it ($status)"
        echo "    check it:  kubectl port-forward -n $namespace service/$name-preview 8000, then curl -H 'Host: gateway' http://localhost:8000/health/detailed"
        echo "    analysis:  kubectl argo rollouts get rollout $name -n $namespace"
        echo "    promote:   scripts/update-services.sh --target kubernetes --promote $name   (or --abort $name)"
        return 0
        ;;
    esac
    ((SECONDS < deadline)) || fail "rollout $name is still '$status' after ${timeout}s; 'kubectl argo rollouts get rollout $name -n $namespace' says why"
    sleep 5
  done
}

# public_address FILE: where the platform answers, from the rendered Ingress.
public_address() {
  local host
  host="$(objects_of Ingress "$1" | awk -F '\t' '$1 == "gateway" { print $3 }')"
  [[ -z "$host" ]] || say "the platform answers at https://$host (the gateway's Ingress; kubectl get ingress gateway -n lift shows its address)"
}
