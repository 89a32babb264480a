#!/usr/bin/env bash
# Puts a backup made by scripts/backup.sh back: a wrapper over 'lift restore'.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME <backup directory> [--force] [--trust-unsigned] [--partial]

Stop the platform first (scripts/stop-services.sh): restore refuses while lift up runs, while a
database file is open, or while other sessions use the PostgreSQL database (--force overrides
the last two, and drops objects of other schemas that depend on the replaced ones). First the
manifest's signature is checked with LIFT_BACKUP_KEY: an unsigned backup, or one signed with another
key, is refused unless --trust-unsigned (a backup from before signing, or another installation's).
Before anything changes, manifest.json must be well-formed, every file a regular file matching its
checksum, one of the installation's (lift.<service>.db, lift.<service>.outbox.db, the dump) and a
sound SQLite database, the dump may hold only the services' schemas, and a SQLite backup must hold
every service database the installation has (--partial restores only the ones it holds). Every
file is copied beside its target and checked; only then:
  SQLite      the current data/lift.*.db files move to data/pre-restore-<time>/ and the copies are
              renamed to where the current settings (DATABASE_URL, *_OUTBOX_FILE) keep them
  PostgreSQL  the schemas in the dump are dropped and the dump replayed, in one transaction
              (needs pg_restore and psql); refused while other schemas' objects depend on them
A failure undoes what was done and leaves the installation as it was.
See docs/deployment/backup-and-restore.md.
USAGE
}

directory=""
options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --force | --trust-unsigned | --partial) options+=("$1") ;;
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
lift restore "$directory" "${options[@]}"
