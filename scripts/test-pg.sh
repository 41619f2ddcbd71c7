#!/usr/bin/env bash
# Private, throw-away PostgreSQL 15 server for tests.
#
#   scripts/test-pg.sh start   # fresh cluster (wipes the old one), roles, db, extensions
#   scripts/test-pg.sh stop    # stop it (no error if not running)
#   scripts/test-pg.sh env     # print export lines: eval "$(scripts/test-pg.sh env)"
#
# Env: TEST_PG_DIR  (default <repo>/.data/test-pg), TEST_PG_PORT (default 54329).
# Tuned for speed, not durability: fsync/synchronous_commit/full_page_writes off,
# trust auth, listening on 127.0.0.1 only.
set -euo pipefail

PG_BIN="/usr/lib/postgresql/15/bin"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_FILE="${REPO_ROOT}/.data/test-pg.state"
DEFAULT_DIR="${REPO_ROOT}/.data/test-pg"
PGVECTOR_VERSION="0.8.0"
PG_OS_USER="postgres"

die() { echo "test-pg: ERROR: $*" >&2; exit 1; }
info() { echo "test-pg: $*" >&2; }

# The state file remembers where the last `start` put the cluster (it may have
# fallen back to /tmp) and on which port, so `stop` and `env` find it.
STATE_DIR="" STATE_PORT=""
if [[ -f "$STATE_FILE" ]]; then
  STATE_DIR="$(sed -n 's/^dir=//p' "$STATE_FILE")"
  STATE_PORT="$(sed -n 's/^port=//p' "$STATE_FILE")"
fi
# `start` uses TEST_PG_PORT or 54329; `env` uses TEST_PG_PORT if set, else the recorded port.
PORT="${TEST_PG_PORT:-${STATE_PORT:-54329}}"

# Postgres refuses to run as root: when root, run server-side tools as the
# postgres OS user.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

# True if the postgres OS user can reach (traverse) and write to directory $1.
pg_can_use_dir() {
  as_pg test -d "$1" -a -x "$1" -a -w "$1" 2>/dev/null
}

is_running() { # $1 = data dir
  [[ -f "$1/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" status -D "$1" >/dev/null 2>&1
}

stop_dir() { # $1 = data dir
  if is_running "$1"; then
    as_pg "$PG_BIN/pg_ctl" stop -D "$1" -m fast -w >/dev/null || die "pg_ctl stop failed for $1"
    info "stopped server in $1"
    return 0
  fi
  return 1
}

# Remove a previous data dir, refusing to touch anything that isn't one of ours.
wipe_dir() { # $1 = data dir
  [[ -e "$1" ]] || return 0
  if [[ -f "$1/PG_VERSION" || -z "$(ls -A "$1")" ]]; then
    rm -rf "$1"
  else
    die "$1 exists and is not a PostgreSQL data dir; refusing to wipe it"
  fi
}

psql_admin() { # $1 = database, rest = psql args
  local db="$1"; shift
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d "$db" "$@"
}

cmd_start() {
  PORT="${TEST_PG_PORT:-54329}"
  [[ -x "$PG_BIN/initdb" ]] || die "$PG_BIN/initdb not found; run scripts/install-system-deps.sh"
  [[ $EUID -ne 0 ]] || id -u "$PG_OS_USER" >/dev/null 2>&1 || die "OS user '$PG_OS_USER' does not exist"
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "TEST_PG_PORT must be a number, got '$PORT'"

  # Start fresh: stop and remove whatever the previous start left behind.
  if [[ -n "$STATE_DIR" ]]; then
    stop_dir "$STATE_DIR" || true
    [[ "$STATE_DIR" == /tmp/everyskill-test-pg.* ]] && rm -rf "$(dirname "$STATE_DIR")"
  fi

  local dir="${TEST_PG_DIR:-$DEFAULT_DIR}"
  [[ "$dir" == /* ]] || dir="$PWD/$dir"
  stop_dir "$dir" || true

  # Fail early with a clear message if something else owns the port.
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 1 >/dev/null 2>&1 \
    || (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT on 127.0.0.1 is already in use (set TEST_PG_PORT to use another)"
  fi

  wipe_dir "$dir"
  mkdir -p "$(dirname "$dir")" "$(dirname "$STATE_FILE")"

  # The postgres user must be able to traverse every parent of the data dir, and
  # the unix socket path (<dir>/.s.PGSQL.<port>) must fit in 107 bytes. If either
  # fails (e.g. the repo lives under /root), use a private dir under /tmp instead.
  mkdir -p "$dir"
  [[ $EUID -eq 0 ]] && chown "$PG_OS_USER:" "$dir"
  if ! pg_can_use_dir "$dir" || (( ${#dir} + ${#PORT} + 10 > 107 )); then
    rm -rf "$dir"
    local tmp
    tmp="$(mktemp -d /tmp/everyskill-test-pg.XXXXXX)"
    chmod 755 "$tmp"
    dir="$tmp/data"
    mkdir "$dir"
    [[ $EUID -eq 0 ]] && chown "$PG_OS_USER:" "$dir"
    info "data dir not usable by '$PG_OS_USER' there; using $dir"
  fi
  chmod 700 "$dir"
  printf 'dir=%s\nport=%s\n' "$dir" "$PORT" >"$STATE_FILE"

  local out
  out="$(as_pg "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 --no-sync 2>&1)" || { echo "$out" >&2; die "initdb failed"; }

  # Appended settings override initdb's defaults (last one wins).
  cat >>"$dir/postgresql.conf" <<EOF

# --- everyskill test settings (scripts/test-pg.sh) ---
listen_addresses = '127.0.0.1'
port = ${PORT}
unix_socket_directories = '${dir}'
max_connections = 200
shared_buffers = 256MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

  local log="$dir/postgres.log"
  if ! as_pg "$PG_BIN/pg_ctl" start -D "$dir" -l "$log" -w -t 60 >/dev/null; then
    tail -n 30 "$log" >&2 || true
    die "pg_ctl start failed (log: $log)"
  fi

  psql_admin postgres <<'SQL' || die "bootstrapping roles/database failed"
CREATE ROLE everyskill_owner LOGIN PASSWORD 'owner' CREATEROLE;
CREATE ROLE everyskill_app NOLOGIN;
CREATE ROLE everyskill_web LOGIN PASSWORD 'web';
GRANT everyskill_app TO everyskill_web;
GRANT everyskill_app TO everyskill_owner WITH ADMIN OPTION;
CREATE DATABASE everyskill OWNER everyskill_owner;
SQL

  # Extensions need superuser; create them up front so migrations (run as the
  # owner) find them.
  psql_admin everyskill <<'SQL' || die "creating extensions failed (is pgvector installed? run scripts/install-system-deps.sh)"
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL

  local v
  v="$(psql_admin everyskill -tA -c "select extversion from pg_extension where extname='vector'")" \
    || die "could not query pgvector version"
  [[ "$v" == "$PGVECTOR_VERSION" ]] || die "pgvector version is '$v', expected $PGVECTOR_VERSION"

  info "PostgreSQL ready on 127.0.0.1:${PORT} (data: $dir, pgvector $v)"
}

cmd_stop() {
  local dir="${STATE_DIR:-${TEST_PG_DIR:-$DEFAULT_DIR}}"
  stop_dir "$dir" || info "not running"
}

cmd_env() {
  cat <<EOF
export DATABASE_URL='postgres://everyskill_web:web@127.0.0.1:${PORT}/everyskill'
export DATABASE_OWNER_URL='postgres://everyskill_owner:owner@127.0.0.1:${PORT}/everyskill'
export TEST_PG_ADMIN_URL='postgres://postgres@127.0.0.1:${PORT}/postgres'
EOF
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
