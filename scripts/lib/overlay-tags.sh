# shellcheck shell=bash
# A service's image tag in an overlay's kustomization.yaml, and the tag it replaced: the images:
# entry of lift/<service> holds
#     - name: lift/auth
#       newTag: "1.2.0" # previous: 1.1.0
# The comment is what update-services.sh --rollback goes back to; Kustomize ignores it. Sourced.

# overlay_tag FILE SERVICE: "<tag> <previous>" (previous empty when none), or nothing when the file
# has no newTag for lift/<service>.
overlay_tag() {
  awk -v image="lift/$2" '
    function unquote(value) { gsub(/^["\047]|["\047]$/, "", value); return value }
    $0 ~ "^[[:space:]]*-[[:space:]]+name:[[:space:]]+[\"\047]?" image "[\"\047]?[[:space:]]*$" { inside = 1; indent = index($0, "-"); next }
    inside && ((match($0, /^[[:space:]]*-/) && RLENGTH == indent) || /^[^[:space:]#]/) { inside = 0 }
    inside && /^[[:space:]]*newTag:/ {
      tag = $0; sub(/^[[:space:]]*newTag:[[:space:]]*/, "", tag)
      previous = ""
      if (match(tag, /#[[:space:]]*previous:[[:space:]]*[^[:space:]]+/)) { previous = substr(tag, RSTART, RLENGTH); sub(/.*previous:[[:space:]]*/, "", previous) }
      sub(/[[:space:]]*#.*$/, "", tag)
      print unquote(tag), unquote(previous)
      exit
    }
  ' "$1"
}

# write_overlay_tag FILE SERVICE TAG PREVIOUS: sets lift/<service>'s newTag to TAG, remembering
# PREVIOUS. Written through the file, so its mode, owner and any symlink stay as they are, and
# every other line stays as it was.
write_overlay_tag() {
  local file="$1" temporary
  temporary="$(mktemp)"
  awk -v image="lift/$2" -v tag="$3" -v previous="$4" '
    $0 ~ "^[[:space:]]*-[[:space:]]+name:[[:space:]]+[\"\047]?" image "[\"\047]?[[:space:]]*$" { inside = 1; indent = index($0, "-"); print; next }
    inside && ((match($0, /^[[:space:]]*-/) && RLENGTH == indent) || /^[^[:space:]#]/) { inside = 0 }
    inside && /^[[:space:]]*newTag:/ {
      match($0, /^[[:space:]]*/)
      print substr($0, 1, RLENGTH) "newTag: \"" tag "\" # previous: " previous
      inside = 0
      next
    }
    { print }
  ' "$file" >"$temporary"
  cat "$temporary" >"$file"
  rm -f "$temporary"
}
