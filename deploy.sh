#!/usr/bin/env bash
# EverySkill deploys on one host. A build becomes an immutable release folder, runs on staging,
# passes the smoke suite, and then that very folder is promoted to production: no rebuild.
#
#   ./deploy.sh staging  [--yes] [--wait] [--force]  fetch + fast-forward, build, migrate staging, reload, smoke
#   ./deploy.sh promote  [RELEASE] [--yes] [--wait]  staging's release (or RELEASE) to production
#   ./deploy.sh rollback [RELEASE] [--yes] [--wait]  production back to the previous (or named) release
#   ./deploy.sh reload   ENV [--wait]                after editing .env.ENV: reload with it, health check
#   ./deploy.sh status                               releases, build ids, health of both environments
#   ./deploy.sh prune    [--yes] [--wait]            delete old releases (keeps DEPLOY_KEEP)
#
# --yes   no confirmation prompt (needed without a terminal)
# --wait  wait for a running deploy instead of exiting with "another deploy is running"
# --force staging: build and deploy even if staging already runs a tested build of this commit
#
# Layout (under builds/, never committed):
#   releases/<UTC time>-<sha>/   standalone server + static + public, db/ (migrations + runner),
#                                RELEASE.json, SMOKE_PASSED | SMOKE_FAILED | DEPLOY_FAILED
#   production/current, staging/current   symlinks to a release; <env>/history: what ran when
#   deploy.lock, deploy.log, smoke/<release>/ (Playwright output)
#
# Environment (defaults in brackets): DEPLOY_BRANCH [main], DEPLOY_REMOTE [origin], DEPLOY_KEEP [5],
# PROD_PORT [2000], STAGING_PORT [2001], EVERYSKILL_PM2_PREFIX [everyskill], EVERYSKILL_INSTANCES
# [2], HEALTH_TIMEOUT seconds [180], PROD_HEALTH_URL / STAGING_HEALTH_URL
# [http://127.0.0.1:<port>/api/health], STAGING_SMOKE_URL [http://localhost:<staging port>],
# PREFLIGHT_PORT [2099], DEPLOY_BUILDS_DIR [<repo>/builds], PM2 [node_modules/.bin/pm2, else pm2 on PATH].
set -euo pipefail
shopt -s nullglob

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILDS="${DEPLOY_BUILDS_DIR:-$ROOT/builds}"
RELEASES="$BUILDS/releases"
LOG_FILE="$BUILDS/deploy.log"
LOCK_FILE="$BUILDS/deploy.lock"

DEPLOY_BRANCH="${DEPLOY_BRANCH:-main}"
DEPLOY_REMOTE="${DEPLOY_REMOTE:-origin}"
DEPLOY_KEEP="${DEPLOY_KEEP:-5}"
PROD_PORT="${PROD_PORT:-2000}"
STAGING_PORT="${STAGING_PORT:-2001}"
PREFIX="${EVERYSKILL_PM2_PREFIX:-everyskill}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-180}"
PROD_HEALTH_URL="${PROD_HEALTH_URL:-http://127.0.0.1:$PROD_PORT/api/health}"
STAGING_HEALTH_URL="${STAGING_HEALTH_URL:-http://127.0.0.1:$STAGING_PORT/api/health}"
# `localhost` (not 127.0.0.1) so that staging, whose ROOT_DOMAIN may be localhost in a drill,
# serves its home page; point it at https://staging.<root domain> to smoke through Caddy.
STAGING_SMOKE_URL="${STAGING_SMOKE_URL:-http://localhost:$STAGING_PORT}"
PREFLIGHT_PORT="${PREFLIGHT_PORT:-2099}"
RELEASE_ID_PATTERN='^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{7,40}$'

COMMAND="" ARG="" YES=0 WAIT=0 FORCE=0 STEP="start" LOCKED=0

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit "${1:-2}"
}

# ------------------------------------------------------------------ output, failure ----
ts() { date -u +%Y-%m-%dT%H:%M:%SZ; }
log() {
  local line
  line="[$(ts)] $*"
  printf '%s\n' "$line"
  if [[ -d "$BUILDS" ]]; then printf '%s\n' "$line" >>"$LOG_FILE"; fi
}
step() {
  STEP="$1"
  log "==> $1"
}
die() {
  log "ERROR: $*"
  exit 1
}
# Runs a command with its output on stdout and in the log. Returns the command's status. fd 9 (the
# lock) is closed for it, so nothing it leaves running (a PM2 daemon) can hold the lock.
run() {
  local rc
  set +e
  "$@" 9>&- 2>&1 | tee -a "$LOG_FILE"
  rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}
on_exit() {
  local rc=$?
  if [[ $rc -ne 0 && $LOCKED == 1 ]]; then
    log "FAILED: $COMMAND stopped at step '$STEP' (exit $rc); see $LOG_FILE"
  fi
}
trap on_exit EXIT

confirm() {
  [[ $YES == 1 ]] && return 0
  if [[ ! -t 0 ]]; then
    echo "deploy.sh: $1 — refusing without a terminal; pass --yes to confirm non-interactively" >&2
    exit 2
  fi
  local answer
  read -r -p "$1 [y/N] " answer
  [[ "$answer" == [yY]* ]] || { echo "deploy.sh: cancelled" >&2; exit 1; }
}

# ---------------------------------------------------------------------------- lock ----
lock_holder() {
  local holder=""
  [[ -r "$LOCK_FILE" ]] && holder="$(head -n 1 "$LOCK_FILE" 2>/dev/null || true)"
  printf '%s' "${holder:-unknown}"
}
acquire_lock() {
  mkdir -p "$BUILDS" "$RELEASES"
  # <> opens without truncating: the holder's pid line must survive a second opener.
  exec 9<>"$LOCK_FILE"
  if ! flock -n 9; then
    sleep 0.2 # the holder writes its line right after taking the lock
    local holder
    holder="$(lock_holder)"
    if [[ $WAIT == 0 ]]; then
      echo "deploy.sh: another deploy is running (pid ${holder%% *}: ${holder}); not starting '$COMMAND'. Re-run later, or with --wait to queue behind it." >&2
      exit 75
    fi
    echo "deploy.sh: another deploy is running (pid ${holder%% *}); waiting for it (--wait)" >&2
    flock 9
  fi
  LOCKED=1
  printf '%s %s started %s\n' "$$" "$COMMAND${ARG:+ $ARG}" "$(ts)" >"$LOCK_FILE"
  log "deploy.sh $COMMAND${ARG:+ $ARG} (pid $$)"
}

# ---------------------------------------------------------------- environments -----
pm2_name() { case "$1" in production) echo "$PREFIX-prod" ;; staging) echo "$PREFIX-staging" ;; esac; }
env_file() { case "$1" in production) echo "$ROOT/.env.production" ;; staging) echo "$ROOT/.env.staging" ;; esac; }
health_url() { case "$1" in production) echo "$PROD_HEALTH_URL" ;; staging) echo "$STAGING_HEALTH_URL" ;; esac; }

require_env_file() {
  local file
  file="$(env_file "$1")"
  [[ -f "$file" ]] || die "$file is missing: create it from .env.example (see docs/operations.md)"
  node "$ROOT/scripts/lib/env-file.cjs" get "$file" APP_ENV >/dev/null 2>&1 ||
    die "$file has no APP_ENV (expected APP_ENV=$1)"
  node "$ROOT/scripts/lib/env-file.cjs" get "$file" DATABASE_URL >/dev/null 2>&1 ||
    die "$file has no DATABASE_URL: deployed environments need PostgreSQL"
}

# The release an environment's `current` symlink points to, or nothing.
release_of() {
  local link="$BUILDS/$1/current"
  [[ -L "$link" ]] || return 0
  basename "$(readlink "$link")"
}

json_field() { # file field
  node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = o[process.argv[2]]; if (v !== undefined && v !== null) process.stdout.write(String(v));' "$1" "$2"
}
build_id_of() { json_field "$RELEASES/$1/RELEASE.json" buildId; }

list_releases() { # oldest first
  local dir id
  for dir in "$RELEASES"/*/; do
    id="$(basename "$dir")"
    [[ "$id" =~ $RELEASE_ID_PATTERN && -f "$dir/RELEASE.json" ]] && echo "$id"
  done | sort
}

is_promotable() { [[ -f "$RELEASES/$1/SMOKE_PASSED" && ! -f "$RELEASES/$1/SMOKE_FAILED" && ! -f "$RELEASES/$1/DEPLOY_FAILED" ]]; }

# Atomic switch: a new symlink under a temporary name, renamed over `current`.
point_env_at() { # env release
  local dir="$BUILDS/$1"
  mkdir -p "$dir"
  ln -sfn "../releases/$2" "$dir/.current.$$"
  mv -Tf "$dir/.current.$$" "$dir/current"
  printf '%s %s %s\n' "$(ts)" "$2" "$COMMAND" >>"$dir/history"
  log "$1 now points at $2"
}

# PM2 with a clean environment: whatever the operator's shell exports must not leak into the app
# (PM2 merges the caller's environment into the app's). fd 9 (the lock) is closed so that a PM2
# daemon started here does not hold the deploy lock forever.
pm2_cmd() {
  local pass=(PATH="$PATH" HOME="${HOME:-/root}" PROD_PORT="$PROD_PORT" STAGING_PORT="$STAGING_PORT"
    EVERYSKILL_PM2_PREFIX="$PREFIX")
  local var
  for var in PM2_HOME EVERYSKILL_INSTANCES EVERYSKILL_MAX_MEMORY DEPLOY_BUILDS_DIR; do
    [[ -n "${!var:-}" ]] && pass+=("$var=${!var}")
  done
  # Resolved here, not at start: a fresh checkout gets node_modules/.bin/pm2 from its first install.
  local pm2="${PM2:-}"
  if [[ -z "$pm2" ]]; then
    if [[ -x "$ROOT/node_modules/.bin/pm2" ]]; then pm2="$ROOT/node_modules/.bin/pm2"; else pm2=pm2; fi
  fi
  env -i "${pass[@]}" "$pm2" "$@" 9>&-
}

reload_env() { # env
  local name
  name="$(pm2_name "$1")"
  run pm2_cmd startOrReload "$ROOT/ecosystem.config.cjs" --only "$name" --update-env || return 1
  run pm2_cmd save --force >/dev/null || log "warning: pm2 save failed; run 'pm2 save' so a reboot restores $name"
}

# Waits until a health endpoint reports `build` several times in a row (so every worker of a
# cluster answers), or fails after HEALTH_TIMEOUT seconds, or as soon as process `pid` exits.
wait_for_build() { # label url build [times in a row] [pid]
  local label="$1" url="$2" build="$3" need="${4:-6}" pid="${5:-}"
  local deadline body code seen="" got streak=0
  deadline=$((SECONDS + HEALTH_TIMEOUT))
  while ((SECONDS < deadline)); do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      log "$label: the server exited before serving build $build"
      return 1
    fi
    body="$(curl -sS -m 5 -w '\n%{http_code}' "$url" 2>/dev/null || true)"
    code="${body##*$'\n'}"
    got="$(printf '%s' "${body%$'\n'*}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const h=JSON.parse(s);process.stdout.write(`${h.buildId} db=${h.db} pending=${h.pendingMigrations}`)}catch{}})' 2>/dev/null || true)"
    if [[ "$code" == 200 && "${got%% *}" == "$build" ]]; then
      streak=$((streak + 1))
      if ((streak >= need)); then
        log "$label healthy on build $build ($url: ${got#* })"
        return 0
      fi
    else
      streak=0
      if [[ "$code $got" != "$seen" ]]; then
        seen="$code $got"
        log "waiting for $label to serve build $build: HTTP ${code:-none} ${got:-no health body}"
      fi
      sleep 1
    fi
  done
  log "$label did not serve build $build within ${HEALTH_TIMEOUT}s ($url: last HTTP ${code:-none} ${got:-})"
  return 1
}

# Starts one server of the release with the environment's env file on PREFLIGHT_PORT (no job
# workers) and waits for its health: a release or env file that cannot start never replaces
# running workers — PM2 would stop the old ones once listen_timeout ran out, ready or not.
preflight() { # env release
  local port="$PREFLIGHT_PORT" pid rc=0 out="$BUILDS/preflight.log"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "preflight: port $port is in use; set PREFLIGHT_PORT to a free one"
    return 1
  fi
  node "$ROOT/scripts/lib/env-file.cjs" exec "$(env_file "$1")" -- env PORT="$port" HOSTNAME=127.0.0.1 \
    JOBS_WORKERS=false EVERYSKILL_ENVIRONMENT="$1-preflight" node "$RELEASES/$2/apps/web/server.js" >"$out" 2>&1 9>&- &
  pid=$!
  wait_for_build "$1 preflight" "http://127.0.0.1:$port/api/health" "$(build_id_of "$2")" 2 "$pid" || rc=1
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if ((rc != 0)); then
    log "preflight output (last lines of $out):"
    tail -n 20 "$out" | tee -a "$LOG_FILE"
  fi
  return "$rc"
}

env_value() { # file key: the value, or nothing when unset
  node "$ROOT/scripts/lib/env-file.cjs" get "$1" "$2" 2>/dev/null || true
}

# Where an environment keeps its bundles, resolved as the storage package resolves it.
blob_store_of() { # env
  local file dir
  file="$(env_file "$1")"
  if [[ "$(env_value "$file" STORAGE_DRIVER)" == "s3" ]]; then
    echo "s3 $(env_value "$file" S3_ENDPOINT) bucket $(env_value "$file" S3_BUCKET)"
    return
  fi
  dir="$(env_value "$file" STORAGE_LOCAL_DIR)"
  if [[ -z "$dir" ]]; then
    dir="$(env_value "$file" EVERYSKILL_DATA_DIR)"
    if [[ -n "$dir" ]]; then dir="${dir%/}/blobs"; else dir="(the default .data/blobs of the release folder)"; fi
  fi
  echo "local folder ${dir%/}"
}

# Staging and production sharing one blob store see each other's bundles: staging's integrity
# check reports production's as strays, and a mistake in one reaches the other's data.
warn_if_shared_blob_store() {
  [[ -f "$(env_file staging)" && -f "$(env_file production)" ]] || return 0
  local staging production
  staging="$(blob_store_of staging)"
  production="$(blob_store_of production)"
  if [[ "$staging" == "$production" ]]; then
    log "WARNING: staging and production use the same blob store ($staging)."
    log "WARNING: give each its own STORAGE_LOCAL_DIR or S3 bucket in .env.staging / .env.production (docs/operations.md)."
  fi
}

# Migrates an environment's database with the migrations and runner shipped in the release.
migrate_env() { # env release
  local file runner
  file="$(env_file "$1")"
  runner="$RELEASES/$2/db/src/cli/migrate.mjs"
  [[ -f "$runner" ]] || { log "release $2 has no migration runner ($runner)"; return 1; }
  run node "$ROOT/scripts/lib/env-file.cjs" exec "$file" -- node "$runner" || return 1
  local status
  status="$(node "$ROOT/scripts/lib/env-file.cjs" exec "$file" -- node "$runner" --status 2>&1)" || {
    printf '%s\n' "$status" | tee -a "$LOG_FILE"
    return 1
  }
  printf '%s\n' "$status" | tail -n 1 | tee -a "$LOG_FILE"
  [[ "$status" == *" 0 pending (postgres)"* ]] || { log "after migrating, $1 still reports: $(tail -n 1 <<<"$status")"; return 1; }
}

# Switch an environment to a release, reload, and wait for its build. Returns non-zero on failure.
switch_and_check() { # env release
  point_env_at "$1" "$2"
  STEP="reload $1 ($(pm2_name "$1"))"
  log "==> $STEP"
  reload_env "$1" || return 1
  STEP="health check $1 for build $(build_id_of "$2")"
  log "==> $STEP"
  if ! wait_for_build "$1" "$(health_url "$1")" "$(build_id_of "$2")"; then
    log "last lines of $(pm2_name "$1")'s error log:"
    run pm2_cmd logs "$(pm2_name "$1")" --err --lines 15 --nostream --raw || true
    return 1
  fi
}

# Puts an environment back on `previous` after a failed switch; says what happened.
restore_env() { # env previous
  if [[ -z "$2" ]]; then
    log "$1 had no previous release to return to; it stays on the failed one — fix and deploy again"
    return 1
  fi
  log "putting $1 back on $2"
  if switch_and_check "$1" "$2"; then
    log "$1 is back on $2 (build $(build_id_of "$2"))"
  else
    log "ERROR: $1 could not be put back on $2 either: check 'pm2 logs $(pm2_name "$1")'"
    return 1
  fi
}

prune_releases() {
  [[ "$DEPLOY_KEEP" =~ ^[0-9]+$ && "$DEPLOY_KEEP" -ge 1 ]] || die "DEPLOY_KEEP must be a positive integer"
  local all=() id prod staging i
  mapfile -t all < <(list_releases)
  prod="$(release_of production)"
  staging="$(release_of staging)"
  for ((i = 0; i < ${#all[@]} - DEPLOY_KEEP; i++)); do
    id="${all[i]}"
    if [[ "$id" == "$prod" || "$id" == "$staging" ]]; then
      log "keeping $id: an environment points at it"
      continue
    fi
    rm -rf "${RELEASES:?}/$id" "$BUILDS/smoke/$id"
    log "pruned release $id"
  done
}

# ------------------------------------------------------------------------ staging ----
build_release() { # sets RELEASE_ID
  local sha short tmp standalone lock_sum
  sha="$(git -C "$ROOT" rev-parse HEAD)"
  short="${sha:0:12}"

  step "install packages"
  lock_sum="$(sha256sum "$ROOT/pnpm-lock.yaml" | cut -d' ' -f1)"
  if [[ -d "$ROOT/node_modules" && "$(cat "$BUILDS/.installed-lockfile" 2>/dev/null || true)" == "$lock_sum" ]]; then
    log "pnpm-lock.yaml unchanged since the last deploy: skipping pnpm install"
  else
    (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 run pnpm install --frozen-lockfile)
    echo "$lock_sum" >"$BUILDS/.installed-lockfile"
  fi

  step "build @everyskill/web"
  (cd "$ROOT" && NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 \
    run pnpm exec turbo run build --filter=@everyskill/web --output-logs=new-only)

  RELEASE_ID="$(date -u +%Y%m%dT%H%M%SZ)-$short"
  while [[ -e "$RELEASES/$RELEASE_ID" ]]; do
    sleep 1
    RELEASE_ID="$(date -u +%Y%m%dT%H%M%SZ)-$short"
  done
  step "assemble release $RELEASE_ID"
  standalone="$ROOT/apps/web/.next/standalone"
  [[ -f "$standalone/apps/web/server.js" ]] || die "$standalone/apps/web/server.js is missing after the build"
  [[ -d "$standalone/apps/web/.next/static" ]] || die "the build did not copy .next/static into the standalone folder"
  [[ ! -d "$ROOT/apps/web/public" || -d "$standalone/apps/web/public" ]] ||
    die "the build did not copy public/ into the standalone folder"
  [[ ! -e "$standalone/builds" ]] || die "the standalone output contains builds/: output tracing picked up old releases"
  tmp="$RELEASES/.$RELEASE_ID.partial"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  cp -a "$standalone/." "$tmp/"

  # Promote migrates production from the release, not from the checkout (which may have moved
  # on): ship the migrations and the runner, bundled, in the layout the runner resolves from
  # (db/src/cli/migrate.mjs finds ../../migrations, as packages/db/src/migrate/runner.ts does).
  mkdir -p "$tmp/db/migrations" "$tmp/db/src/cli"
  cp "$ROOT"/packages/db/migrations/*.sql "$tmp/db/migrations/"
  run "$ROOT/node_modules/.bin/esbuild" "$ROOT/packages/db/src/cli/migrate.ts" --bundle --platform=node \
    --format=esm --target=node20 --log-level=warning --legal-comments=none \
    --outfile="$tmp/db/src/cli/migrate.mjs" \
    "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"

  local build_id
  build_id="$(cat "$tmp/apps/web/.next/BUILD_ID")"
  node -e '
    const [file, id, sha, branch, buildId, ...migrations] = process.argv.slice(1);
    const release = { id, gitSha: sha, branch, buildId, created: new Date().toISOString(), node: process.version,
      migrations: migrations.map((m) => require("path").basename(m)) };
    require("fs").writeFileSync(file, JSON.stringify(release, null, 2) + "\n");' \
    "$tmp/RELEASE.json" "$RELEASE_ID" "$sha" "$DEPLOY_BRANCH" "$build_id" "$tmp"/db/migrations/*.sql
  mv -T "$tmp" "$RELEASES/$RELEASE_ID"
  log "release $RELEASE_ID: build $build_id, $(du -sh "$RELEASES/$RELEASE_ID" | cut -f1)"
}

run_smoke() { # release
  local out="$BUILDS/smoke/$1"
  rm -rf "$out"
  mkdir -p "$out"
  (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 SMOKE_BASE_URL="$STAGING_SMOKE_URL" \
    SMOKE_EXPECT_BUILD_ID="$(build_id_of "$1")" SMOKE_OUTPUT_DIR="$out" \
    run "$ROOT/node_modules/.bin/playwright" test --config "$ROOT/ops-tests/smoke/playwright.config.ts")
}

cmd_staging() {
  require_env_file staging
  warn_if_shared_blob_store
  confirm "Deploy $DEPLOY_REMOTE/$DEPLOY_BRANCH to staging?"
  acquire_lock
  local started=$SECONDS

  step "fetch $DEPLOY_REMOTE/$DEPLOY_BRANCH"
  cd "$ROOT"
  run git fetch --quiet "$DEPLOY_REMOTE" "$DEPLOY_BRANCH"
  git diff --quiet HEAD -- || die "the checkout has uncommitted changes to tracked files: a release must be a commit"
  if [[ "$(git symbolic-ref --quiet --short HEAD || true)" != "$DEPLOY_BRANCH" ]]; then
    run git checkout --quiet "$DEPLOY_BRANCH"
  fi
  run git merge --ff-only --quiet FETCH_HEAD || die "cannot fast-forward $DEPLOY_BRANCH to $DEPLOY_REMOTE/$DEPLOY_BRANCH"
  local sha current
  sha="$(git rev-parse HEAD)"
  log "checkout at $(git log -1 --format='%h %s' HEAD)"

  current="$(release_of staging)"
  if [[ $FORCE == 0 && -n "$current" ]] && is_promotable "$current" &&
    [[ "$(json_field "$RELEASES/$current/RELEASE.json" gitSha)" == "$sha" ]]; then
    log "staging already runs $current, built from ${sha:0:12} and smoke-tested: nothing to do (--force rebuilds)"
    return 0
  fi

  build_release
  local id="$RELEASE_ID" previous="$current"

  step "preflight: $id with .env.staging on :$PREFLIGHT_PORT"
  if ! preflight staging "$id"; then
    echo "preflight" >"$RELEASES/$id/DEPLOY_FAILED"
    die "release $id does not start with staging's settings (see above); staging still runs ${previous:-nothing}"
  fi

  step "migrate staging database"
  if ! migrate_env staging "$id"; then
    echo "migrate staging" >"$RELEASES/$id/DEPLOY_FAILED"
    die "migrations failed on staging; staging still runs ${previous:-nothing}"
  fi

  step "switch staging to $id"
  if ! switch_and_check staging "$id"; then
    local failed="$STEP"
    echo "$failed" >"$RELEASES/$id/DEPLOY_FAILED"
    restore_env staging "$previous" || true
    STEP="$failed"
    die "staging deploy of $id failed at '$failed'; the release is marked not promotable"
  fi

  step "smoke tests against $STAGING_SMOKE_URL"
  if run_smoke "$id"; then
    printf '%s\n' "$(ts)" >"$RELEASES/$id/SMOKE_PASSED"
  else
    printf '%s smoke failed; results in %s\n' "$(ts)" "$BUILDS/smoke/$id" >"$RELEASES/$id/SMOKE_FAILED"
    log "smoke tests FAILED on $id: marked SMOKE_FAILED (not promotable)"
    restore_env staging "$previous" || true
    STEP="smoke tests"
    die "release $id failed its smoke tests; staging is back on ${previous:-nothing}"
  fi

  step "prune old releases"
  prune_releases
  log "staging runs $id (build $(build_id_of "$id")) after $((SECONDS - started))s; promote with: ./deploy.sh promote"
}

# ------------------------------------------------------------------ promote, rollback ----
cmd_promote() {
  require_env_file production
  warn_if_shared_blob_store
  acquire_lock
  local id="${ARG:-$(release_of staging)}" previous
  [[ -n "$id" ]] || die "staging runs no release yet: ./deploy.sh staging first"
  [[ -f "$RELEASES/$id/RELEASE.json" ]] || die "no release $id in $RELEASES"
  if [[ -f "$RELEASES/$id/SMOKE_FAILED" ]]; then die "release $id failed its smoke tests: it cannot be promoted"; fi
  if [[ -f "$RELEASES/$id/DEPLOY_FAILED" ]]; then die "release $id failed to deploy on staging: it cannot be promoted"; fi
  is_promotable "$id" || die "release $id has not passed the smoke tests on staging (no SMOKE_PASSED): it cannot be promoted"
  # A release production was rolled back from, or whose promote failed, goes again only by name.
  if [[ -z "$ARG" && ( -f "$RELEASES/$id/ROLLED_BACK" || -f "$RELEASES/$id/PROMOTE_FAILED" ) ]]; then
    die "staging's release $id was rolled back from production or failed its promote before; to promote it anyway, name it: ./deploy.sh promote $id"
  fi
  previous="$(release_of production)"
  if [[ "$id" == "$previous" ]]; then
    log "production already runs $id (build $(build_id_of "$id")): nothing to promote"
    return 0
  fi
  confirm "Promote $id (build $(build_id_of "$id")) to production, replacing ${previous:-nothing}?"
  local started=$SECONDS

  step "preflight: $id with .env.production on :$PREFLIGHT_PORT"
  preflight production "$id" || die "release $id does not start with production's settings; production still runs ${previous:-nothing}, nothing was changed"

  step "migrate production database with $id's migrations"
  migrate_env production "$id" || die "migrations failed on production; production still runs ${previous:-nothing}"

  step "switch production to $id"
  if ! switch_and_check production "$id"; then
    local failed="$STEP"
    log "promote of $id failed at '$failed'"
    printf '%s promote to production failed at %s\n' "$(ts)" "$failed" >"$RELEASES/$id/PROMOTE_FAILED"
    restore_env production "$previous" || true
    STEP="$failed"
    die "promote FAILED at '$failed': production is back on ${previous:-nothing} (migrations of $id stay applied)"
  fi
  # Promoted by name after a rollback or a failed promote: it runs now, the old marks no longer hold.
  rm -f "$RELEASES/$id/ROLLED_BACK" "$RELEASES/$id/PROMOTE_FAILED"

  step "prune old releases"
  prune_releases
  log "production runs $id (build $(build_id_of "$id")); promoted in $((SECONDS - started))s"
}

# The release production ran before the one it runs now: the history read backwards, skipping the
# current release and any that was rolled back or failed its promote (both are known bad).
previous_production_release() {
  local current="$1" id
  [[ -f "$BUILDS/production/history" ]] || return 0
  while read -r id; do
    [[ "$id" == "$current" ]] && continue
    [[ -f "$RELEASES/$id/RELEASE.json" && ! -f "$RELEASES/$id/ROLLED_BACK" && ! -f "$RELEASES/$id/PROMOTE_FAILED" ]] || continue
    printf '%s' "$id"
    return 0
  done < <(awk '{print $2}' "$BUILDS/production/history" | tac)
}

cmd_rollback() {
  require_env_file production
  acquire_lock
  local current target
  current="$(release_of production)"
  [[ -n "$current" ]] || die "production runs no release: nothing to roll back"
  target="${ARG:-$(previous_production_release "$current")}"
  [[ -n "$target" ]] || die "no earlier production release is kept; name one: ./deploy.sh rollback <release> (see ./deploy.sh status)"
  [[ -f "$RELEASES/$target/RELEASE.json" ]] || die "no release $target in $RELEASES"
  [[ "$target" != "$current" ]] || die "production already runs $target"
  is_promotable "$target" || die "release $target never passed the smoke tests: roll back to a tested release"
  confirm "Roll production back from $current to $target (build $(build_id_of "$target"))? The database stays as it is."
  local started=$SECONDS

  step "preflight: $target with .env.production on :$PREFLIGHT_PORT"
  preflight production "$target" || die "release $target does not start with production's settings; production stays on $current"

  step "switch production back to $target"
  if ! switch_and_check production "$target"; then
    local failed="$STEP"
    restore_env production "$current" || true
    STEP="$failed"
    die "rollback to $target FAILED at '$failed': production is on $current again"
  fi
  printf '%s rolled back from production to %s\n' "$(ts)" "$target" >"$RELEASES/$current/ROLLED_BACK"

  step "prune old releases"
  prune_releases
  log "production runs $target (build $(build_id_of "$target")) again after $((SECONDS - started))s"
}

# After an env file changed: reload the environment's workers with it and check they come up.
cmd_reload() {
  local env="$ARG" id
  [[ "$env" == production || "$env" == staging ]] || die "reload needs an environment: production or staging"
  require_env_file "$env"
  acquire_lock
  id="$(release_of "$env")"
  [[ -n "$id" ]] || die "$env runs no release yet"
  step "preflight: $id with $(env_file "$env") on :$PREFLIGHT_PORT"
  preflight "$env" "$id" || die "$env does not start with $(env_file "$env") as it is now: fix it; the running workers were not touched"
  step "reload $env ($(pm2_name "$env")) with $(env_file "$env")"
  reload_env "$env" || die "pm2 reload failed"
  step "health check $env"
  wait_for_build "$env" "$(health_url "$env")" "$(build_id_of "$id")" ||
    die "$env does not come up with the new settings: see 'pm2 logs $(pm2_name "$env")', fix $(env_file "$env") and reload again"
}

cmd_prune() {
  confirm "Delete releases beyond the newest $DEPLOY_KEEP (never one an environment points at)?"
  acquire_lock
  step "prune old releases"
  prune_releases
}

# -------------------------------------------------------------------------- status ----
cmd_status() {
  local env id url body code online
  local jlist='[]' pm2_home="${PM2_HOME:-${HOME:-/root}/.pm2}"
  # Only ask a running PM2 daemon: `pm2 jlist` would start one.
  if [[ -f "$pm2_home/pm2.pid" ]] && kill -0 "$(cat "$pm2_home/pm2.pid")" 2>/dev/null; then
    jlist="$(pm2_cmd jlist 2>/dev/null || echo '[]')"
  fi
  for env in production staging; do
    id="$(release_of "$env")"
    url="$(health_url "$env")"
    body="$(curl -sS -m 5 -w '\n%{http_code}' "$url" 2>/dev/null || true)"
    code="${body##*$'\n'}"
    online="$(printf '%s' "$jlist" | node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        let list = []; try { list = JSON.parse(s.slice(s.indexOf("["))); } catch {}
        const mine = list.filter((p) => p.name === process.argv[1]);
        const up = mine.filter((p) => p.pm2_env && p.pm2_env.status === "online").length;
        process.stdout.write(mine.length ? `${up}/${mine.length} online` : "not running");
      });' "$(pm2_name "$env")")"
    printf '%-11s release  %s\n' "$env" "${id:-none}"
    if [[ -n "$id" ]]; then
      printf '%-11s build    %s   git %s\n' "" "$(build_id_of "$id")" "$(json_field "$RELEASES/$id/RELEASE.json" gitSha | cut -c1-12)"
    fi
    printf '%-11s pm2      %s (%s)\n' "" "$(pm2_name "$env")" "$online"
    printf '%-11s health   %s\n' "" "$(printf '%s' "${body%$'\n'*}" | node -e '
      let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
        const [code, expected] = process.argv.slice(1);
        let h; try { h = JSON.parse(s); } catch {}
        if (!h) return process.stdout.write(code && code !== "000" ? `HTTP ${code}, no health report` : "not answering");
        const match = !expected ? "" : h.buildId === expected ? " (matches release)" : ` (MISMATCH: release is ${expected})`;
        process.stdout.write(`HTTP ${code} ${h.status}, build ${h.buildId}${match}, db ${h.db}, pending migrations ${h.pendingMigrations}`);
      });' "$code" "$( [[ -n "$id" ]] && build_id_of "$id")")"
  done
  echo
  echo "releases (newest last; keep $DEPLOY_KEEP):"
  local marks
  while read -r id; do
    [[ -n "$id" ]] || continue
    marks=""
    [[ -f "$RELEASES/$id/SMOKE_PASSED" ]] && marks+=" smoke-passed"
    [[ -f "$RELEASES/$id/SMOKE_FAILED" ]] && marks+=" SMOKE-FAILED"
    [[ -f "$RELEASES/$id/DEPLOY_FAILED" ]] && marks+=" DEPLOY-FAILED"
    [[ -f "$RELEASES/$id/ROLLED_BACK" ]] && marks+=" rolled-back"
    [[ -f "$RELEASES/$id/PROMOTE_FAILED" ]] && marks+=" promote-failed"
    [[ "$id" == "$(release_of production)" ]] && marks+=" <- production"
    [[ "$id" == "$(release_of staging)" ]] && marks+=" <- staging"
    printf '  %s  build %s%s\n' "$id" "$(build_id_of "$id")" "$marks"
  done < <(list_releases)
  if [[ -e "$LOCK_FILE" ]] && ! flock -n "$LOCK_FILE" true 2>/dev/null; then
    echo
    echo "a deploy is running: $(lock_holder)"
  fi
}

# --------------------------------------------------------------------------- main ----
main() {
  [[ $# -gt 0 ]] || usage 2
  COMMAND="$1"
  shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --yes | -y) YES=1 ;;
      --wait) WAIT=1 ;;
      --force) FORCE=1 ;;
      -h | --help) usage 0 ;;
      -*) echo "deploy.sh: unknown option $1" >&2; usage 2 ;;
      *)
        [[ -z "$ARG" ]] || { echo "deploy.sh: unexpected argument $1" >&2; usage 2; }
        ARG="$1"
        ;;
    esac
    shift
  done
  if [[ -n "$ARG" && "$COMMAND" != promote && "$COMMAND" != rollback && "$COMMAND" != reload ]]; then
    echo "deploy.sh: '$COMMAND' takes no release argument" >&2
    usage 2
  fi
  if [[ -n "$ARG" && "$COMMAND" != reload && ! "$ARG" =~ $RELEASE_ID_PATTERN ]]; then
    echo "deploy.sh: '$ARG' is not a release id (like 20250101T120000Z-0123456789ab)" >&2
    exit 2
  fi
  case "$COMMAND" in
    staging) cmd_staging ;;
    promote) cmd_promote ;;
    rollback) cmd_rollback ;;
    prune) cmd_prune ;;
    reload) cmd_reload ;;
    status) cmd_status ;;
    help | -h | --help) usage 0 ;;
    *) echo "deploy.sh: unknown command '$COMMAND'" >&2; usage 2 ;;
  esac
}

main "$@"
