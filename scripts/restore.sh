#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a NEW database (created if missing), then
# checks it row for row against the backup's manifest.
#
#   scripts/restore.sh BACKUP_DIR --target-url postgres://ADMIN@HOST/NEW_DB [--blobs-dir DIR]
#                      [--force] [--jobs N] [--verify-only]
#
# --target-url   where to restore. Use an administrator (superuser, or the managed service's admin
#                role): the dump creates extensions (vector) and sets owners. The database is
#                created, owned by the backup's owner role, if it does not exist yet. The roles the
#                dump refers to (everyskill_owner, everyskill_app, …) must exist on the server.
# --blobs-dir    copy the backup's blobs there (must be empty unless --force)
# --force        restore into a database / blob folder that is not empty, replacing its contents
# --jobs N       parallel restore (faster on big databases; not all-or-nothing then)
# --verify-only  check the checksums and that the dump is readable; restore nothing
# PG_BIN         folder of pg_restore/psql to use [from PATH]
set -euo pipefail

log() { printf '[%s] restore: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }

BACKUP="" TARGET_URL="" BLOBS_DIR="" FORCE=0 JOBS="" VERIFY_ONLY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --target-url) TARGET_URL="${2:?--target-url needs a URL}"; shift 2 ;;
    --blobs-dir) BLOBS_DIR="${2:?--blobs-dir needs a folder}"; shift 2 ;;
    --force) FORCE=1; shift ;;
    --jobs) JOBS="${2:?--jobs needs a number}"; shift 2 ;;
    --verify-only) VERIFY_ONLY=1; shift ;;
    -h | --help) usage 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z "$BACKUP" ]] || die "unexpected argument $1"; BACKUP="$1"; shift ;;
  esac
done
[[ -n "$BACKUP" ]] || usage 2
[[ -d "$BACKUP" && -f "$BACKUP/manifest.json" && -f "$BACKUP/database.dump" ]] ||
  die "$BACKUP is not a backup made by scripts/backup.sh (no manifest.json / database.dump)"
[[ $VERIFY_ONLY == 1 || -n "$TARGET_URL" ]] || die "--target-url is required"
[[ -z "$JOBS" || "$JOBS" =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive integer"

PG_BIN="${PG_BIN:-}"
pg() { if [[ -n "$PG_BIN" ]]; then "$PG_BIN/$1" "${@:2}"; else "$@"; fi; }
manifest() { node -e 'const m = require(require("path").resolve(process.argv[1])); const v = eval(process.argv[2]);
  process.stdout.write(typeof v === "string" ? v : JSON.stringify(v))' "$BACKUP/manifest.json" "$1"; }
redact() { sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

started=$SECONDS
log "checking $BACKUP (made $(manifest m.created) from $(manifest m.database.source))"
(cd "$BACKUP" && sha256sum --quiet --strict -c SHA256SUMS) || die "checksums do not match: the backup is damaged"
pg pg_restore --list "$BACKUP/database.dump" >/dev/null || die "pg_restore cannot read database.dump"
log "checksums ok, dump readable ($(manifest m.database.bytes) bytes, $(manifest m.blobs.files) blobs)"
if [[ $VERIFY_ONLY == 1 ]]; then
  log "verify only: nothing restored"
  exit 0
fi

# ------------------------------------------------------------- target database ----
# postgres://user:pw@host:port/db?params → db, and the same URL on the `postgres` database.
read -r TARGET_DB MAINT_URL < <(node -e '
  const u = new URL(process.argv[1]); const db = decodeURIComponent(u.pathname.slice(1));
  if (!db) { console.error("--target-url has no database name"); process.exit(1); }
  u.pathname = "/postgres"; process.stdout.write(`${db} ${u.href}\n`);' "$TARGET_URL") || die "cannot parse --target-url"
q() { pg psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

exists="$(q -d "$MAINT_URL" -v db="$TARGET_DB" <<<"SELECT count(*) FROM pg_database WHERE datname = :'db';")" ||
  die "cannot connect to $(redact "$MAINT_URL")"
if [[ "$exists" == 0 ]]; then
  owner="$(manifest m.database.owner)"
  if [[ "$(q -d "$MAINT_URL" -v r="$owner" <<<"SELECT count(*) FROM pg_roles WHERE rolname = :'r';")" == 1 ]]; then
    q -d "$MAINT_URL" -v db="$TARGET_DB" -v owner="$owner" <<<'CREATE DATABASE :"db" OWNER :"owner";'
  else
    q -d "$MAINT_URL" -v db="$TARGET_DB" <<<'CREATE DATABASE :"db";'
  fi
  log "created database $TARGET_DB"
else
  # Objects that belong to an extension (CREATE EXTENSION in a fresh database) do not count.
  used="$(q -d "$TARGET_URL" <<<"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e');")"
  if [[ "$used" != 0 && $FORCE == 0 ]]; then
    die "database $TARGET_DB is not empty ($used tables/sequences/views): restore into a new database, or pass --force to replace its contents"
  fi
  [[ "$used" != 0 ]] && log "database $TARGET_DB is not empty ($used relations): replacing its contents (--force)"
fi

# The dump grants to and is owned by roles that live outside any database: check them first.
missing=()
while read -r role; do
  [[ -z "$role" || "$role" == PUBLIC ]] && continue
  [[ "$(q -d "$MAINT_URL" -v r="$role" <<<"SELECT count(*) FROM pg_roles WHERE rolname = :'r';")" == 1 ]] || missing+=("$role")
done < <(pg pg_restore --schema-only --file=- "$BACKUP/database.dump" |
  grep -oE '(OWNER TO|GRANT [^;]* TO|REVOKE [^;]* FROM) "?[A-Za-z_][A-Za-z0-9_]*"?;' |
  sed -E 's/.* "?([A-Za-z_][A-Za-z0-9_]*)"?;$/\1/' | sort -u)
((${#missing[@]} == 0)) ||
  die "roles missing on the target server: ${missing[*]} — create them first (docs/operations.md, First deploy: roles)"

# -------------------------------------------------------------------- restore ----
args=(--dbname="$TARGET_URL" --exit-on-error --no-password)
if [[ -n "$JOBS" ]]; then args+=(--jobs="$JOBS"); else args+=(--single-transaction); fi
[[ $FORCE == 1 ]] && args+=(--clean --if-exists)
log "pg_restore into $(redact "$TARGET_URL")${JOBS:+ with $JOBS jobs}"
pg pg_restore "${args[@]}" "$BACKUP/database.dump" || die "pg_restore failed (nothing was restored unless --jobs was used)"

# -------------------------------------------------------------------- verify ----
# The same count query as the backup, in the restored database; the counts must be identical.
counts="$({ echo "SET row_security = off;"; cat "$(dirname "$0")/lib/row-counts.sql"; } | q -d "$TARGET_URL" 2>&1)" ||
  die "cannot count rows in the restored database as this role (it needs to bypass row-level security): $counts"
verdict="$(node -e '
  const m = require(require("path").resolve(process.argv[1]));
  const want = m.database.rowCounts, got = JSON.parse(process.argv[2]);
  const names = [...new Set([...Object.keys(want), ...Object.keys(got)])].sort();
  const bad = names.filter((n) => want[n] !== got[n]).map((n) => `${n}: backup ${want[n] ?? "-"}, restored ${got[n] ?? "-"}`);
  if (bad.length) { console.error("row counts differ:\n  " + bad.join("\n  ")); process.exit(1); }
  const rows = Object.values(got).reduce((a, b) => a + b, 0);
  console.log(`row counts match the backup: ${names.length} tables, ${rows} rows`);' "$BACKUP/manifest.json" "$counts" 2>&1)" ||
  die "the restored database does not match the backup: $verdict"
log "$verdict"

# --------------------------------------------------------------------- blobs ----
if [[ -n "$BLOBS_DIR" ]]; then
  if [[ -d "$BLOBS_DIR" && -n "$(ls -A "$BLOBS_DIR")" && $FORCE == 0 ]]; then
    die "$BLOBS_DIR is not empty: choose an empty folder, or pass --force to replace its contents"
  fi
  mkdir -p "$BLOBS_DIR"
  rsync -a --delete "$BACKUP/blobs/" "$BLOBS_DIR/"
  log "blobs copied to $BLOBS_DIR ($(find "$BLOBS_DIR" -type f | wc -l) files)"
elif [[ "$(manifest m.blobs.files)" != 0 ]]; then
  log "the backup holds $(manifest m.blobs.files) blobs; pass --blobs-dir to restore them"
fi
log "restored $BACKUP into $TARGET_DB in $((SECONDS - started))s"
