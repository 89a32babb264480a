#!/usr/bin/env bash
# Moves one service of the production compose stack to another image tag, or back to the previous one.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME <service> <version> [--env-file FILE] [--env-only]
       $SCRIPT_NAME --rollback <service> [--env-file FILE] [--env-only]

Sets <SERVICE>_VERSION in .env (what docker-compose.prod.yml reads; the seed's script edited
.env.local, which production does not read), keeps the old tag as <SERVICE>_PREVIOUS_VERSION,
pulls the new image and recreates only that service (--no-deps). If the pull fails, .env is put
back. --rollback swaps <SERVICE>_VERSION and <SERVICE>_PREVIOUS_VERSION and does the same.

  service     one of: ${LIFT_SERVICES[*]}
  version     an image tag: letters, digits, '_', '.', '-'; at most 128, not starting with '.' or '-'
  --env-file  the production settings (default: .env in the repository)
  --env-only  only edit the file; pull and restart another way (or later)
A service whose new version migrated its database may not run on the old tag again: see
docs/deployment/rollbacks.md before rolling back.
USAGE
}

env_file="$LIFT_ROOT/.env"
env_only=false
rollback=false
positional=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --env-file) [[ $# -ge 2 ]] || usage_error "--env-file needs a file"; env_file="$2"; shift ;;
    --env-only) env_only=true ;;
    --rollback) rollback=true ;;
    -*) usage_error "unknown option '$1'" ;;
    *) positional+=("$1") ;;
  esac
  shift
done

if [[ "$rollback" == true ]]; then
  [[ ${#positional[@]} -eq 1 ]] || usage_error "--rollback takes one service"
else
  [[ ${#positional[@]} -eq 2 ]] || usage_error "give a service and a version, e.g. '$SCRIPT_NAME auth 1.2.0'"
fi
service="${positional[0]}"
is_service "$service" || usage_error "unknown service '$service'; choose from ${LIFT_SERVICES[*]}"
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
tag_pattern='^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$'
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
