#!/usr/bin/env bash
# Puts a backup made by scripts/backup.sh back: a wrapper over 'lift restore'.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME <backup directory> [--force]

Stop the platform first (scripts/stop-services.sh): restore refuses while lift up runs, while a
database file is open, or while other sessions use the PostgreSQL database (--force overrides
the last two). Every file is checked against manifest.json before anything changes. Then:
  SQLite      the current data/lift.*.db files move to data/pre-restore-<time>/ and the backup's
              are copied in
  PostgreSQL  the schemas in the dump are dropped and the dump replayed, in one transaction
              (needs pg_restore and psql)
See docs/deployment/backup-and-restore.md.
USAGE
}

directory=""
force=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --force) force=(--force) ;;
    -*) usage_error "unknown option '$1'" ;;
    *)
      [[ -z "$directory" ]] || usage_error "give one backup directory"
      directory="$1"
      ;;
  esac
  shift
done
[[ -n "$directory" ]] || usage_error "name the backup directory to restore"
[[ -d "$directory" ]] || fail "$directory is not a directory"
lift restore "$directory" "${force[@]}"
