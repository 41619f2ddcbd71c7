#!/usr/bin/env bash
# Backs up EverySkill: the database (pg_dump, custom format) and the blob store, into
# BACKUP_DIR/<UTC time>/ with a manifest (row counts, applied migrations) and SHA256SUMS.
#
#   scripts/backup.sh [--env-file .env.production] [--dir BACKUP_DIR]
#
# Environment (an --env-file is read first; the caller's environment fills what it leaves unset):
#   BACKUP_DATABASE_URL   role that may read every row: LOGIN BYPASSRLS + pg_read_all_data (see
#                         docs/operations.md); falls back to DATABASE_OWNER_URL, then DATABASE_URL
#   BACKUP_DIR            where backups go                       [<repo>/.data/backups]
#   BACKUP_KEEP           how many backups to keep               [14]
#   BACKUP_KEEP_DAYS      also delete backups older than this    [unset: count only]
#   STORAGE_LOCAL_DIR     blob store folder (local driver) [the app's default, <EVERYSKILL_DATA_DIR
#                         or .data>/blobs], copied with rsync, unchanged files
#                         hard-linked to the previous backup
#   STORAGE_DRIVER=s3, S3_BUCKET (S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY,
#                         as the app reads them): copied with `aws s3 sync` when the aws CLI is
#                         installed, otherwise only noted
#   PG_BIN                folder of pg_dump/psql to use          [from PATH]
# The data is read in one snapshot: dump, row counts and migrations agree with each other.
set -euo pipefail
shopt -s nullglob

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[%s] backup: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

ENV_FILE="" DIR_ARG=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env-file) ENV_FILE="${2:?--env-file needs a file}"; shift 2 ;;
    --dir) DIR_ARG="${2:?--dir needs a folder}"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
if [[ -n "$ENV_FILE" && -z "${EVERYSKILL_BACKUP_ENV_LOADED:-}" ]]; then
  [[ -f "$ENV_FILE" ]] || die "$ENV_FILE does not exist"
  args=()
  [[ -n "$DIR_ARG" ]] && args+=(--dir "$DIR_ARG")
  # The env file's values win over the caller's shell, as for deploy.sh's migrations.
  exec env EVERYSKILL_BACKUP_ENV_LOADED=1 node "$ROOT/scripts/lib/env-file.cjs" exec "$ENV_FILE" -- bash "$0" "${args[@]}"
fi

PG_BIN="${PG_BIN:-}"
pg() { if [[ -n "$PG_BIN" ]]; then "$PG_BIN/$1" "${@:2}"; else "$@"; fi; }
DB_URL="${BACKUP_DATABASE_URL:-${DATABASE_OWNER_URL:-${DATABASE_URL:-}}}"
[[ -n "$DB_URL" ]] || die "no database: set BACKUP_DATABASE_URL (or DATABASE_OWNER_URL / DATABASE_URL), or pass --env-file"
BACKUP_DIR="${DIR_ARG:-${BACKUP_DIR:-$ROOT/.data/backups}}"
BACKUP_KEEP="${BACKUP_KEEP:-14}"
[[ "$BACKUP_KEEP" =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP must be a positive integer, got '$BACKUP_KEEP'"
[[ -z "${BACKUP_KEEP_DAYS:-}" || "$BACKUP_KEEP_DAYS" =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP_DAYS must be a positive integer"
redact() { sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

mkdir -p "$BACKUP_DIR"
exec 8>"$BACKUP_DIR/.backup.lock"
flock -n 8 || die "another backup into $BACKUP_DIR is running"

started=$SECONDS
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
DEST="$BACKUP_DIR/$STAMP"
PARTIAL="$BACKUP_DIR/.$STAMP.partial"
[[ ! -e "$DEST" ]] || die "$DEST already exists"
rm -rf "$PARTIAL"
mkdir -p "$PARTIAL"
trap 'rm -rf "$PARTIAL"' EXIT

# ------------------------------------------------------------------ database ----
log "database $(redact "$DB_URL")"
server_version="$(pg psql -X -At -d "$DB_URL" -c 'SHOW server_version_num')" || die "cannot connect to the database"
dump_version="$(pg pg_dump --version | grep -oE '[0-9]+(\.[0-9]+)?' | head -n 1)"
if ((${dump_version%%.*} < server_version / 10000)); then
  die "pg_dump $dump_version is older than the server ($((server_version / 10000))): install a newer client or set PG_BIN"
fi

# One REPEATABLE READ transaction exports its snapshot; pg_dump reads the same snapshot, and the
# manifest's row counts come from it too, so a restore can be checked row for row.
coproc SNAPSHOT { pg psql -X -q -At -v ON_ERROR_STOP=0 -d "$DB_URL" 2>&1; }
send() { printf '%s\n' "$1" >&"${SNAPSHOT[1]}"; } # a statement that prints nothing
sql() {                                          # a statement whose result is one line
  send "$1"
  local line
  IFS= read -r -t 120 line <&"${SNAPSHOT[0]}" || die "no answer from psql to: ${1:0:60}"
  if [[ "$line" == ERROR:* || "$line" == psql:* ]]; then
    [[ "$line" == *row-level* ]] && line+=" — this role cannot read every row: set BACKUP_DATABASE_URL to a role with BYPASSRLS (docs/operations.md, Backups)"
    die "$line"
  fi
  printf '%s' "$line"
}
send 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;'
snapshot="$(sql 'SELECT pg_export_snapshot();')"
# Row counts of every table, read as this role. With row_security off PostgreSQL refuses, rather
# than silently filters, when the role cannot see every row.
send 'SET LOCAL row_security = off;'
counts="$(sql "$(grep -v '^--' "$ROOT/scripts/lib/row-counts.sql" | tr '\n' ' ')")"
migrations='[]'
if [[ "$(sql "SELECT to_regclass('public._applied_migrations') IS NOT NULL;")" == t ]]; then
  migrations="$(sql "SELECT coalesce(json_agg(name ORDER BY name), '[]') FROM public._applied_migrations;")"
fi
db_owner="$(sql 'SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database();')"
db_name="$(sql 'SELECT current_database();')"

log "pg_dump (custom format, snapshot $snapshot)"
if ! pg pg_dump --format=custom --compress=6 --snapshot="$snapshot" --file="$PARTIAL/database.dump" \
  --dbname="$DB_URL" 2>"$PARTIAL/pg_dump.err"; then
  cat "$PARTIAL/pg_dump.err" >&2
  if grep -q 'row-level security' "$PARTIAL/pg_dump.err"; then
    die "this role cannot read every row (row-level security): set BACKUP_DATABASE_URL to a role with BYPASSRLS (docs/operations.md, Backups)"
  fi
  die "pg_dump failed"
fi
rm -f "$PARTIAL/pg_dump.err"
send 'COMMIT;'
send '\q'
wait "$SNAPSHOT_PID" 2>/dev/null || true

# --------------------------------------------------------------------- blobs ----
blobs_source="none"
blobs_note="no blob store configured"
# The variables the app reads (packages/storage/src/env.ts); STORAGE_S3_BUCKET/_ENDPOINT, which
# earlier versions of this script read, still work.
S3_BUCKET="${S3_BUCKET:-${STORAGE_S3_BUCKET:-}}"
S3_ENDPOINT="${S3_ENDPOINT:-${STORAGE_S3_ENDPOINT:-}}"
local_dir="${STORAGE_LOCAL_DIR:-}"
if [[ "${STORAGE_DRIVER:-local}" == "local" && -z "$local_dir" ]]; then
  # The app's default: <EVERYSKILL_DATA_DIR or the checkout's .data>/blobs.
  local_dir="${EVERYSKILL_DATA_DIR:-$ROOT/.data}/blobs"
  if [[ -d "$local_dir" ]]; then
    log "blobs: STORAGE_LOCAL_DIR is unset; copying the app's default folder $local_dir (set STORAGE_LOCAL_DIR to be explicit)"
  else
    log "WARNING: STORAGE_LOCAL_DIR is unset and $local_dir does not exist: no bundles are backed up"
    blobs_note="STORAGE_LOCAL_DIR unset and the default folder $local_dir does not exist"
    local_dir=""
  fi
fi
if [[ "${STORAGE_DRIVER:-local}" == "local" && -n "$local_dir" ]]; then
  [[ -d "$local_dir" ]] || die "STORAGE_LOCAL_DIR=$local_dir is not a folder"
  previous="$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9]{8}T[0-9]{6}Z' | sort | tail -n 1)"
  link_dest=()
  [[ -n "$previous" && -d "$previous/blobs" ]] && link_dest=(--link-dest="$previous/blobs")
  log "blobs: rsync $local_dir${previous:+ (unchanged files hard-linked to $(basename "$previous"))}"
  rsync -a "${link_dest[@]}" "$local_dir/" "$PARTIAL/blobs/"
  blobs_source="local"
  blobs_note="copied from $local_dir"
elif [[ "${STORAGE_DRIVER:-local}" == "s3" && -n "$S3_BUCKET" ]]; then
  if command -v aws >/dev/null 2>&1; then
    log "blobs: aws s3 sync s3://$S3_BUCKET"
    AWS_ACCESS_KEY_ID="${S3_ACCESS_KEY_ID:-${AWS_ACCESS_KEY_ID:-}}" AWS_SECRET_ACCESS_KEY="${S3_SECRET_ACCESS_KEY:-${AWS_SECRET_ACCESS_KEY:-}}" \
      AWS_DEFAULT_REGION="${S3_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}" \
      aws s3 sync --only-show-errors ${S3_ENDPOINT:+--endpoint-url "$S3_ENDPOINT"} "s3://$S3_BUCKET" "$PARTIAL/blobs/"
    blobs_source="s3"
    blobs_note="copied from s3://$S3_BUCKET"
  else
    blobs_source="s3-not-copied"
    blobs_note="s3://$S3_BUCKET not copied (no aws CLI): rely on bucket versioning/replication, see docs/operations.md"
    log "blobs: $blobs_note"
  fi
fi
mkdir -p "$PARTIAL/blobs"

# ------------------------------------------------------------------ manifest ----
(cd "$PARTIAL" && find . -type f ! -name SHA256SUMS -printf '%P\0' | sort -z | xargs -0 -r sha256sum >SHA256SUMS)
node -e '
  const [file, stamp, dbName, dbOwner, serverVersion, dumpVersion, counts, migrations, blobsSource, blobsNote, url] = process.argv.slice(1);
  const fs = require("fs"), path = require("path");
  const dir = path.dirname(file);
  const blobFiles = fs.readFileSync(path.join(dir, "SHA256SUMS"), "utf8").split("\n").filter((l) => / blobs\//.test(l));
  const bytes = (p) => fs.statSync(path.join(dir, p)).size;
  const manifest = {
    format: 1,
    created: stamp,
    database: {
      name: dbName, owner: dbOwner, source: url, serverVersion: Number(serverVersion), pgDumpVersion: dumpVersion,
      file: "database.dump", bytes: bytes("database.dump"),
      rowCounts: JSON.parse(counts), appliedMigrations: JSON.parse(migrations),
    },
    blobs: { source: blobsSource, note: blobsNote, files: blobFiles.length,
      bytes: blobFiles.reduce((n, l) => n + bytes(l.slice(66)), 0) },
    checksums: "SHA256SUMS",
  };
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + "\n");' \
  "$PARTIAL/manifest.json" "$STAMP" "$db_name" "$db_owner" "$server_version" "$dump_version" "$counts" \
  "$migrations" "$blobs_source" "$blobs_note" "$(redact "$DB_URL")"
mv -T "$PARTIAL" "$DEST"
trap - EXIT
log "wrote $DEST ($(du -sh "$DEST" | cut -f1); $(node -e 'const m=require(process.argv[1]);const c=Object.values(m.database.rowCounts).reduce((a,b)=>a+b,0);process.stdout.write(`${Object.keys(m.database.rowCounts).length} tables, ${c} rows, ${m.blobs.files} blobs`)' "$DEST/manifest.json"))"

# ----------------------------------------------------------------- retention ----
mapfile -t all < <(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9]{8}T[0-9]{6}Z' -printf '%f\n' | sort)
cutoff=""
[[ -n "${BACKUP_KEEP_DAYS:-}" ]] && cutoff="$(date -u -d "$BACKUP_KEEP_DAYS days ago" +%Y%m%dT%H%M%SZ)"
for ((i = 0; i < ${#all[@]} - 1; i++)); do # never the newest
  name="${all[i]}"
  if ((i < ${#all[@]} - BACKUP_KEEP)) || [[ -n "$cutoff" && "$name" < "$cutoff" ]]; then
    rm -rf "${BACKUP_DIR:?}/$name"
    log "deleted old backup $name"
  fi
done
log "done in $((SECONDS - started))s"
