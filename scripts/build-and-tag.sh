#!/usr/bin/env bash
# Builds one image, tags it with a version and latest, and pushes both when a registry is given.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME <service> [version] [registry]

  service   ${LIFT_SERVICES[*]} (the root Dockerfile, its target of that name), or template
            (modules/_template/Dockerfile)
  version   the tag (default: git rev-parse --short HEAD)
  registry  e.g. ghcr.io/acme; given, the image is <registry>/lift/<service> and both tags are
            pushed; not given, the image stays local as lift/<service>
The image is labelled with the version and the full git revision (VERSION, GIT_REVISION).
USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") usage_error "name a service: ${LIFT_SERVICES[*]} or template" ;;
esac
[[ $# -le 3 ]] || usage_error "too many arguments"
service="$1"
if [[ "$service" != template ]] && ! is_service "$service"; then
  usage_error "unknown service '$service'; choose from ${LIFT_SERVICES[*]} template"
fi
version="${2:-$(git -C "$LIFT_ROOT" rev-parse --short HEAD)}"
[[ "$version" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || usage_error "'$version' is not a valid image tag"
registry="${3:-}"
[[ -z "$registry" || "$registry" =~ ^[A-Za-z0-9._:/-]+$ ]] || usage_error "'$registry' is not a registry name (host[:port][/path])"
revision="$(git -C "$LIFT_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"

require_container_engine
if [[ "$service" == template ]]; then
  image="${registry:+${registry%/}/}lift/module-template"
  build=(-f "$LIFT_ROOT/modules/_template/Dockerfile")
else
  image="${registry:+${registry%/}/}lift/$service"
  # The root Dockerfile has one target per service; SERVICE is for a recipe that takes it as an argument.
  build=(-f "$LIFT_ROOT/Dockerfile" --target "$service" --build-arg "SERVICE=$service")
fi

say "building $image:$version (revision $revision)"
docker build "${build[@]}" --build-arg "VERSION=$version" --build-arg "GIT_REVISION=$revision" -t "$image:$version" -t "$image:latest" "$LIFT_ROOT"
if [[ -n "$registry" ]]; then
  say "pushing $image:$version and $image:latest"
  docker push "$image:$version"
  docker push "$image:latest"
  say "built and pushed $image:$version"
else
  say "built $image:$version and $image:latest (not pushed: no registry given)"
fi
