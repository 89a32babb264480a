#!/usr/bin/env bash
# Backs up every service's data while the platform runs: a wrapper over 'lift backup'.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<USAGE
usage: $SCRIPT_NAME [--to DIR]

A consistent copy of the installation's data, taken while the services keep writing:
  SQLite      each service's data/lift.<service>.db and the outboxes, through SQLite's online backup
  PostgreSQL  the services' schemas, in one pg_dump -Fc (needs pg_dump); DATABASE_URL from the
              environment or .env.local
and manifest.json (what, when, which backend, SHA-256 of each file), signed with LIFT_BACKUP_KEY
(environment or .env.local; without it the backup is unsigned and says so). Default DIR:
backups/lift-<UTC time> in LIFT_HOME (the repository by default). Restore with scripts/restore.sh.
See docs/deployment/backup-and-restore.md.
USAGE
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") lift backup ;;
  --to)
    [[ $# -eq 2 ]] || usage_error "--to needs one directory"
    lift backup --to "$2"
    ;;
  *) usage_error "unknown argument '$1'" ;;
esac
