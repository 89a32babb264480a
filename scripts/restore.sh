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
the last two). Restore only a backup from a trusted place: checksums show damage, not tampering.
Before anything changes, every file is checked against manifest.json, must be one of the
installation's (lift.<service>.db, lift.<service>.outbox.db, the dump) and a sound SQLite database,
and the dump may hold only the services' schemas. Then:
  SQLite      the current data/lift.*.db files move to data/pre-restore-<time>/ and the backup's
              are copied to where the current settings (DATABASE_URL, *_OUTBOX_FILE) keep them
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
