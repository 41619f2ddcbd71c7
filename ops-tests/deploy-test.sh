#!/usr/bin/env bash
# Acceptance test of deploy.sh, ecosystem.config.cjs, scripts/pm2-server.cjs, backup.sh and
# restore.sh, on this machine only (loopback), cleaning up after itself:
#
#   1. a temporary bare git repo holding this working tree, a deploy checkout cloned from it, a
#      private PostgreSQL (staging + production databases) and a private PM2 (own PM2_HOME);
#   2. deploy A to staging and promote it (production's first release);
#   3. commit B; two `deploy.sh staging` started together: one deploys, the other says "locked";
#   4. promote B while a load generator hits production (a page, health, an /api/v1 operation the
#      app serves before Next): no failed request allowed;
#   5. `status` shows both environments on B;
#   6. commit C breaks the home page: its staging deploy fails the smoke tests, staging goes back
#      to B, and C cannot be promoted;
#   7. `rollback` returns production to A's build (never to a release rolled back from, which
#      is promoted again only by name); a broken env file is caught by `reload`'s
#      preflight without touching production; pruning never deletes a release in use;
#   8. backup, restore into a new database: same rows, and the app serves the same tenant.
#
#   bash ops-tests/deploy-test.sh
#
# OPS_TEST_SOURCE [this repository] the working tree to snapshot,
# OPS_TEST_PG_PORT [54391], OPS_TEST_PROD_PORT [23100], OPS_TEST_STAGING_PORT [23101],
# OPS_TEST_RESTORED_PORT [23102], OPS_TEST_PREFLIGHT_PORT [23103], OPS_TEST_KEEP=1 keeps the temp dir, OPS_TEST_REPORT
# [<repo>/.data/ops-test/deploy-report.json] gets the measured figures.
set -euo pipefail
[[ "${OPS_TEST_DEBUG:-0}" == 1 ]] && set -x
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TREE="$(cd "${OPS_TEST_SOURCE:-$SRC}" && pwd)"
source "$SRC/ops-tests/lib/assert.sh"

PG_PORT="${OPS_TEST_PG_PORT:-54391}"
export PROD_PORT="${OPS_TEST_PROD_PORT:-23100}"
export STAGING_PORT="${OPS_TEST_STAGING_PORT:-23101}"
RESTORED_PORT="${OPS_TEST_RESTORED_PORT:-23102}"
export PREFLIGHT_PORT="${OPS_TEST_PREFLIGHT_PORT:-23103}"
REPORT="${OPS_TEST_REPORT:-$SRC/.data/ops-test/deploy-report.json}"
ADMIN_URL="postgres://postgres@127.0.0.1:$PG_PORT"

WORK="$(mktemp -d /tmp/everyskill-ops-test.XXXXXX)"
chmod 755 "$WORK" # the postgres OS user must reach the data dir below it
DEV="$WORK/dev"       # where the test makes its commits
ORIGIN="$WORK/origin.git"
HOST="$WORK/host"     # the deploy checkout, as on a server
export PM2_HOME="$WORK/pm2"
export EVERYSKILL_PM2_PREFIX="opstest"
export EVERYSKILL_INSTANCES=2
export HEALTH_TIMEOUT=120
unset DATABASE_URL DATABASE_OWNER_URL TEST_PG_ADMIN_URL DEPLOY_BUILDS_DIR PM2 || true
PM2_BIN="$SRC/node_modules/.bin/pm2"
BG_PIDS=()   # background processes
BG_GROUPS=() # background process groups (setsid): a deploy and everything it started
PG_STARTED=0
PHASE=""
started_at=$SECONDS

cleanup() {
  local rc=$? pid
  set +e
  if [[ $rc != 0 ]]; then
    not_ok "aborted in phase '$PHASE' (exit $rc)"
    summary deploy
  fi
  for pid in "${BG_GROUPS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${BG_PIDS[@]}" "${BG_GROUPS[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ -d "$PM2_HOME" ]]; then timeout 60 "$PM2_BIN" kill >/dev/null 2>&1; fi
  if [[ $PG_STARTED == 1 ]]; then
    (cd "$HOST" && TEST_PG_PORT="$PG_PORT" bash scripts/test-pg.sh stop >/dev/null 2>&1)
  fi
  if [[ "${OPS_TEST_KEEP:-0}" == 1 || ($rc != 0 && "${OPS_TEST_KEEP_ON_FAILURE:-0}" == 1) ]]; then
    echo "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

phase() {
  PHASE="$*"
  printf '\n==> [%4ss] %s\n' "$((SECONDS - started_at))" "$*"
}
declare -A FIG=() # measured figures for the report
deploy() { (cd "$HOST" && timeout 900 ./deploy.sh "$@"); }
health_build() { # port → buildId served
  curl -sS -m 5 "http://127.0.0.1:$1/api/health" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).buildId)}catch{}})'
}
release_of() { basename "$(readlink "$HOST/builds/$1/current" 2>/dev/null)" 2>/dev/null || true; }
build_of() { node -e 'process.stdout.write(require(process.argv[1]).buildId)' "$HOST/builds/releases/$1/RELEASE.json"; }
psql_admin() { psql -X -q -At -v ON_ERROR_STOP=1 "$ADMIN_URL/$1"; }
commit_and_push() { # message
  git -C "$DEV" add -A
  git -C "$DEV" -c user.name="ops test" -c user.email=ops-test@example.invalid commit -q -m "$1"
  git -C "$DEV" push -q origin main
}

for port in "$PG_PORT" "$PROD_PORT" "$STAGING_PORT" "$RESTORED_PORT" "$PREFLIGHT_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use; set the OPS_TEST_*_PORT variables" >&2
    exit 1
  fi
done

# ------------------------------------------------------------------------------ 1 ----
phase "snapshot of the working tree into a temporary bare repository"
mkdir -p "$DEV"
# Tracked and untracked-but-not-ignored files as they are on disk now: what a commit would hold.
git -C "$TREE" ls-files -co --exclude-standard -z |
  while IFS= read -r -d '' f; do [[ -e "$TREE/$f" || -L "$TREE/$f" ]] && printf '%s\0' "$f"; done >"$WORK/files"
rsync -a --from0 --files-from="$WORK/files" "$TREE/" "$DEV/"
git -C "$DEV" init -q -b main
commit_and_push_initial() {
  git -C "$DEV" add -A
  git -C "$DEV" -c user.name="ops test" -c user.email=ops-test@example.invalid commit -q -m "A: working tree snapshot"
  git clone -q --bare "$DEV" "$ORIGIN"
  git -C "$DEV" remote add origin "$ORIGIN"
  git -C "$DEV" fetch -q origin
  git -C "$DEV" branch -q --set-upstream-to=origin/main main
}
commit_and_push_initial
git clone -q "$ORIGIN" "$HOST"
echo "snapshot $(git -C "$DEV" rev-parse --short HEAD): $(tr -cd '\0' <"$WORK/files" | wc -c) files"

phase "private PostgreSQL on :$PG_PORT with staging and production databases"
(cd "$HOST" && TEST_PG_PORT="$PG_PORT" TEST_PG_DIR="$WORK/pg" bash scripts/test-pg.sh start)
PG_STARTED=1
psql_admin postgres <<'SQL'
CREATE DATABASE everyskill_staging OWNER everyskill_owner;
CREATE ROLE everyskill_backup LOGIN PASSWORD 'backup' BYPASSRLS;
GRANT pg_read_all_data TO everyskill_backup;
SQL
psql_admin everyskill_staging <<'SQL'
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL
if [[ "${OPS_TEST_GRANT_TRACKING_TABLE:-1}" == 1 ]]; then
  # WORKAROUND until packages/db grants it: /api/health reads _applied_migrations as the app's
  # login role, which has no SELECT on the runner's tracking table, so health answers 503 with
  # "permission denied". Same DDL as packages/db/src/migrate/runner.ts, created by the owner.
  for db in everyskill everyskill_staging; do
    psql -X -q -v ON_ERROR_STOP=1 "postgres://everyskill_owner:owner@127.0.0.1:$PG_PORT/$db" <<'SQL'
CREATE TABLE IF NOT EXISTS _applied_migrations (
  name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer NOT NULL);
GRANT SELECT ON _applied_migrations TO everyskill_app;
SQL
  done
fi

write_env() { # env db public-host
  # APP_URL is the public https URL Caddy would serve; the test talks to the app directly over
  # http on its port, as Caddy does.
  cat >"$HOST/.env.$1" <<EOF
# written by ops-tests/deploy-test.sh
APP_ENV=$1
APP_URL=https://$3
ROOT_DOMAIN=localhost
AUTH_SECRET=$(head -c 32 /dev/urandom | base64)
SIGNING_KEYS_SECRET=$(head -c 32 /dev/urandom | base64)
AUTH_GOOGLE_ID=ops-test-$1.apps.googleusercontent.com
AUTH_GOOGLE_SECRET=ops-test-not-a-secret
DATABASE_URL=postgres://everyskill_web:web@127.0.0.1:$PG_PORT/$2
DATABASE_OWNER_URL=postgres://everyskill_owner:owner@127.0.0.1:$PG_PORT/$2
BACKUP_DATABASE_URL=postgres://everyskill_backup:backup@127.0.0.1:$PG_PORT/$2
STORAGE_LOCAL_DIR=$WORK/blobs-$1
LOG_LEVEL=warn
EOF
  mkdir -p "$WORK/blobs-$1"
}
write_env production everyskill localhost
write_env staging everyskill_staging staging.localhost

# ------------------------------------------------------------------------------ 2 ----
phase "release A: deploy.sh staging, then promote (production's first release)"
t=$SECONDS
deploy staging --yes
FIG[deploy_a_staging_s]=$((SECONDS - t))
REL_A="$(release_of staging)"
BUILD_A="$(build_of "$REL_A")"
check "release A passed its smoke tests" test -f "$HOST/builds/releases/$REL_A/SMOKE_PASSED"
expect_eq "staging serves A's build" "$(health_build "$STAGING_PORT")" "$BUILD_A"
check "RELEASE.json names the commit" grep -q "\"gitSha\": \"$(git -C "$DEV" rev-parse HEAD)\"" "$HOST/builds/releases/$REL_A/RELEASE.json"
check "the release ships its migrations and runner" test -f "$HOST/builds/releases/$REL_A/db/src/cli/migrate.mjs"
t=$SECONDS
deploy promote --yes
FIG[promote_a_s]=$((SECONDS - t))
expect_eq "production serves A's build" "$(health_build "$PROD_PORT")" "$BUILD_A"
expect_eq "production points at the very release folder staging ran" "$(release_of production)" "$REL_A"
second="$(deploy staging --yes)"
check "a second staging deploy of the same commit does nothing" grep -q "nothing to do" <<<"$second"

# ------------------------------------------------------------------------------ 3 ----
phase "release B: two deploy.sh staging started together"
echo "release B" >"$DEV/apps/web/public/ops-test-release.txt"
commit_and_push "B: a change in the web app"
t=$SECONDS
background_deploy() { # n
  setsid bash -c 'cd "$1" && timeout 900 ./deploy.sh staging --yes >"$2.out" 2>&1; echo $? >"$2.rc"' _ "$HOST" "$WORK/deploy-$1" &
  BG_GROUPS+=($!)
}
background_deploy 1
background_deploy 2
wait "${BG_GROUPS[@]}" || true
BG_GROUPS=()
FIG[deploy_b_staging_s]=$((SECONDS - t))
rcs="$(cat "$WORK/deploy-1.rc") $(cat "$WORK/deploy-2.rc")"
expect_match "one deploy ran, the other was refused with exit 75" "$rcs" '^(0 75|75 0)$'
loser="$WORK/deploy-$([[ "$(cat "$WORK/deploy-1.rc")" == 75 ]] && echo 1 || echo 2).out"
check "the refused one says another deploy is running, with its pid" grep -qE 'another deploy is running \(pid [0-9]+' "$loser"
sed 's/^/    /' "$loser"
REL_B="$(release_of staging)"
BUILD_B="$(build_of "$REL_B")"
check "B is a new release with a new build id" test "$REL_B" != "$REL_A" -a "$BUILD_B" != "$BUILD_A"
check "B passed its smoke tests" test -f "$HOST/builds/releases/$REL_B/SMOKE_PASSED"

# ------------------------------------------------------------------------------ 4 ----
phase "promote B while production is under load"
node "$SRC/ops-tests/lib/load.mjs" --url "http://localhost:$PROD_PORT" --paths /,/api/health,/api/v1/openapi.json \
  --connections 4 --max-seconds 300 --out "$WORK/load.json" >/dev/null &
load_pid=$!
BG_PIDS+=("$load_pid")
sleep 3
t=$SECONDS
t_ms=$(date +%s%3N)
deploy promote --yes | tee "$WORK/promote.out"
FIG[promote_b_ms]=$(($(date +%s%3N) - t_ms))
sleep 3
kill -TERM "$load_pid"
wait "$load_pid" || true
load_field() { node -e 'const s=require(process.argv[1]); process.stdout.write(String(eval(process.argv[2])))' "$WORK/load.json" "$1"; }
FIG[load_sent]="$(load_field s.sent)"
FIG[load_failed]="$(load_field s.failed)"
FIG[load_seconds]="$(load_field 's.durationMs/1000')"
FIG[load_p99_ms]="$(load_field s.latencyMs.p99)"
FIG[load_max_ms]="$(load_field s.latencyMs.max)"
echo "    load: $(load_field 'JSON.stringify({sent:s.sent,ok:s.ok,failed:s.failed,byStatus:s.byStatus,errors:s.errors,latencyMs:s.latencyMs})')"
[[ "$(load_field s.failed)" == 0 ]] || echo "    first failures: $(load_field 'JSON.stringify(s.firstFailures)')"
echo "    builds seen on /api/health: $(load_field 'Object.entries(s.buildIds).map(([b,v])=>`${b} x${v.count} (${v.first} .. ${v.last})`).join(", ")')"
check "the load generator sent requests all along ($(load_field s.sent))" test "$(load_field s.sent)" -gt 100
expect_eq "no request failed during the promote (non-2xx, socket errors, timeouts)" "$(load_field s.failed)" 0
expect_eq "the load saw A's build, then B's" "$(load_field 'Object.keys(s.buildIds).sort().join(" ")')" "$(printf '%s\n' "$BUILD_A" "$BUILD_B" | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "production serves B's build" "$(health_build "$PROD_PORT")" "$BUILD_B"

# ------------------------------------------------------------------------------ 5 ----
phase "deploy.sh status"
deploy status | tee "$WORK/status.out"
expect_eq "status: production on B" "$(awk '$1 == "production" && $2 == "release" {print $3}' "$WORK/status.out")" "$REL_B"
expect_eq "status: staging on B" "$(awk '$1 == "staging" && $2 == "release" {print $3}' "$WORK/status.out")" "$REL_B"
expect_eq "status: both healthy on the release's build" "$(grep -c "build $BUILD_B (matches release)" "$WORK/status.out")" 2
check "status lists the kept releases" grep -q "  $REL_A  build $BUILD_A" "$WORK/status.out"

# ------------------------------------------------------------------------------ 6 ----
phase "release C breaks the home page"
cat >"$DEV/apps/web/src/app/page.tsx" <<'EOF'
// ops-tests/deploy-test.sh: a deliberately broken release, which the smoke tests must stop.
export const dynamic = 'force-dynamic';

export default function HomePage(): never {
  throw new Error('ops test: this release is deliberately broken');
}
EOF
commit_and_push "C: a broken home page"
t=$SECONDS
rc=0
deploy staging --yes >"$WORK/deploy-c.out" 2>&1 || rc=$?
FIG[deploy_c_staging_s]=$((SECONDS - t))
tail -n 5 "$WORK/deploy-c.out" | sed 's/^/    /'
REL_C="$(ls "$HOST/builds/releases" | grep -- "-$(git -C "$DEV" rev-parse --short=12 HEAD)\$" || true)"
check "C's staging deploy exits non-zero" test "$rc" -ne 0
check "and says the smoke tests failed" grep -q "failed its smoke tests; staging is back on $REL_B" "$WORK/deploy-c.out"
check "C is marked SMOKE_FAILED" test -n "$REL_C" -a -f "$HOST/builds/releases/$REL_C/SMOKE_FAILED"
expect_eq "staging points at B again" "$(release_of staging)" "$REL_B"
expect_eq "staging serves B's build again" "$(health_build "$STAGING_PORT")" "$BUILD_B"
rc=0
deploy promote "$REL_C" --yes >"$WORK/promote-c.out" 2>&1 || rc=$?
check "promote of C is refused" test "$rc" -ne 0
check "because it failed its smoke tests" grep -q "failed its smoke tests: it cannot be promoted" "$WORK/promote-c.out"
check "plain promote finds nothing new (staging runs B, as production does)" grep -q "production already runs $REL_B" <(deploy promote --yes 2>&1)
expect_eq "production still serves B" "$(health_build "$PROD_PORT")" "$BUILD_B"

# ------------------------------------------------------------------------------ 7 ----
phase "rollback and pruning"
t=$SECONDS
deploy rollback --yes | tee "$WORK/rollback.out"
FIG[rollback_s]=$((SECONDS - t))
expect_eq "rollback: production points at A" "$(release_of production)" "$REL_A"
expect_eq "rollback: production serves A's build" "$(health_build "$PROD_PORT")" "$BUILD_A"
rc=0
deploy rollback --yes >"$WORK/rollback-2.out" 2>&1 || rc=$?
check "a second rollback has no earlier release and says so" grep -q "no earlier production release" "$WORK/rollback-2.out"
rc=0
deploy promote --yes >"$WORK/promote-rolled-back.out" 2>&1 || rc=$?
check "plain promote refuses staging's B, which production was rolled back from" grep -q "was rolled back from production" "$WORK/promote-rolled-back.out"
expect_eq "production still serves A" "$(health_build "$PROD_PORT")" "$BUILD_A"
# A known-bad release (rolled back from) between A and B in production's history: rollback skips it
# and goes to the release production ran before the current one.
bad="${REL_A}x"
mkdir -p "$HOST/builds/releases/$bad"
echo "{\"id\":\"$bad\",\"buildId\":\"bad\"}" >"$HOST/builds/releases/$bad/RELEASE.json"
touch "$HOST/builds/releases/$bad/SMOKE_PASSED" "$HOST/builds/releases/$bad/ROLLED_BACK"
printf '%s %s promote\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$bad" >>"$HOST/builds/production/history"
deploy promote "$REL_B" --yes >"$WORK/promote-b-again.out"
expect_eq "B promoted again by name" "$(health_build "$PROD_PORT")" "$BUILD_B"
deploy rollback --yes >"$WORK/rollback-3.out"
expect_eq "rollback skips the rolled-back release: production points at A" "$(release_of production)" "$REL_A"
expect_eq "and serves A's build" "$(health_build "$PROD_PORT")" "$BUILD_A"
rm -rf "$HOST/builds/releases/$bad"
cp "$HOST/.env.production" "$WORK/env.production.good"
sed -i 's|^APP_URL=.*|APP_URL=not-a-url|' "$HOST/.env.production" # the app must refuse to start
rc=0
deploy reload production >"$WORK/reload-bad.out" 2>&1 || rc=$?
check "reload with a broken env file fails" test "$rc" -ne 0
check "in its preflight, naming the bad variable, before touching production" \
  grep -q "APP_URL" "$WORK/reload-bad.out"
check "and says the running workers were not touched" grep -q "the running workers were not touched" "$WORK/reload-bad.out"
expect_eq "production still serves A's build" "$(health_build "$PROD_PORT")" "$BUILD_A"
cp "$WORK/env.production.good" "$HOST/.env.production"
check "reload with the fixed env file succeeds" deploy reload production
# PM2 keeps a variable deleted from the env file in its workers unless the wrapper drops it.
cron_statuses() { for _ in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code} ' -X POST "http://127.0.0.1:$PROD_PORT/api/cron/daily-digest"; done; }
echo "CRON_SECRET=ops-test-cron-secret-0123456789abcdef" >>"$HOST/.env.production"
deploy reload production >/dev/null
expect_eq "a CRON_SECRET added to the env file reaches every worker (401 without the bearer)" "$(cron_statuses)" "401 401 401 401 "
cp "$WORK/env.production.good" "$HOST/.env.production"
deploy reload production >/dev/null
expect_eq "deleted from the env file, it is gone from every worker after a reload (503: cron off)" "$(cron_statuses)" "503 503 503 503 "
fake="$HOST/builds/releases/19990101T000000Z-0000000"
mkdir -p "$fake"
echo '{"id":"19990101T000000Z-0000000","buildId":"ancient"}' >"$fake/RELEASE.json"
DEPLOY_KEEP=3 deploy prune --yes >/dev/null
check "prune deletes releases beyond DEPLOY_KEEP" test ! -e "$fake"
DEPLOY_KEEP=1 deploy prune --yes | tee "$WORK/prune.out" >/dev/null
check "but never one an environment points at (A: production, B: staging)" \
  test -d "$HOST/builds/releases/$REL_A" -a -d "$HOST/builds/releases/$REL_B"
check "and says why it keeps them" grep -q "keeping $REL_A: an environment points at it" "$WORK/prune.out"
check "every step is in builds/deploy.log with its UTC time" grep -qE '^\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\] ==> switch production back to' "$HOST/builds/deploy.log"

# ------------------------------------------------------------------------------ 8 ----
phase "backup, restore into a new database, compare"
psql_admin everyskill <<'SQL'
INSERT INTO tenants (slug, name) VALUES ('acme', 'Acme Corp'), ('globex', 'Globex Inc');
INSERT INTO tenant_domains (tenant_id, domain) SELECT id, slug || '.example' FROM tenants;
INSERT INTO users (tenant_id, email, name) SELECT id, 'admin@' || slug || '.example', 'Admin of ' || name FROM tenants;
INSERT INTO memberships (tenant_id, user_id, role) SELECT tenant_id, id, 'admin' FROM users;
SQL
# The demo tenant and its sample skills, published through the real service into the production
# database and blob folder; two of them public so the discovery index lists them without a key.
(cd "$HOST" && node scripts/lib/env-file.cjs exec .env.production -- pnpm -s db:seed) >"$WORK/seed.out" 2>&1 ||
  { cat "$WORK/seed.out"; false; }
psql_admin everyskill <<<"UPDATE skills SET visibility = 'public' WHERE slug IN ('csv-profiler', 'release-notes-writer');"
mkdir -p "$WORK/blobs-production/skills/acme"
echo "# a skill" >"$WORK/blobs-production/skills/acme/SKILL.md"
head -c 100000 /dev/urandom >"$WORK/blobs-production/skills/acme/bundle.zip"
COMPARE_SQL="SELECT slug, name, status FROM tenants ORDER BY slug;
SELECT t.slug, d.domain, d.kind FROM tenant_domains d JOIN tenants t ON t.id = d.tenant_id ORDER BY 2;
SELECT t.slug, u.email, u.name, m.role, m.status FROM users u JOIN tenants t ON t.id = u.tenant_id
  JOIN memberships m ON m.user_id = u.id ORDER BY u.email;
SELECT t.slug, s.slug, s.visibility, v.version, v.content_sha256 FROM skills s JOIN tenants t ON t.id = s.tenant_id
  JOIN skill_versions v ON v.skill_id = s.id ORDER BY 1, 2, 4;
SELECT name, checksum FROM _applied_migrations ORDER BY name;"
before="$(psql_admin everyskill <<<"$COMPARE_SQL")"
t=$SECONDS
(cd "$HOST" && BACKUP_DIR="$WORK/backups" bash scripts/backup.sh --env-file .env.production)
FIG[backup_s]=$((SECONDS - t))
backup="$(find "$WORK/backups" -mindepth 1 -maxdepth 1 -type d -name '2*' | sort | tail -n 1)"
check "the backup has a dump, a manifest and checksums" test -f "$backup/database.dump" -a -f "$backup/manifest.json" -a -f "$backup/SHA256SUMS"
sleep 1 # backups are named by the second
(cd "$HOST" && BACKUP_DIR="$WORK/backups" BACKUP_KEEP=2 bash scripts/backup.sh --env-file .env.production) >/dev/null
sleep 1
(cd "$HOST" && BACKUP_DIR="$WORK/backups" BACKUP_KEEP=2 bash scripts/backup.sh --env-file .env.production) >/dev/null
expect_eq "BACKUP_KEEP=2 keeps the two newest backups" "$(find "$WORK/backups" -mindepth 1 -maxdepth 1 -type d -name '2*' | wc -l)" 2
mapfile -t kept < <(find "$WORK/backups" -mindepth 1 -maxdepth 1 -type d -name '2*' | sort)
backup="${kept[1]}"
expect_eq "an unchanged blob is hard-linked between backups, not copied" \
  "$(stat -c %i "${kept[0]}/blobs/skills/acme/bundle.zip")" "$(stat -c %i "${kept[1]}/blobs/skills/acme/bundle.zip")"
t=$SECONDS
(cd "$HOST" && bash scripts/restore.sh "$backup" --target-url "$ADMIN_URL/everyskill_restored" --blobs-dir "$WORK/blobs-restored")
FIG[restore_s]=$((SECONDS - t))
after="$(psql_admin everyskill_restored <<<"$COMPARE_SQL")"
expect_eq "the restored database has the same tenants, domains, users, memberships, migrations" "$after" "$before"
check "the blobs came back byte for byte" diff -r "$WORK/blobs-production" "$WORK/blobs-restored"
rc=0
(cd "$HOST" && bash scripts/restore.sh "$backup" --target-url "$ADMIN_URL/everyskill_restored") >"$WORK/restore-2.out" 2>&1 || rc=$?
check "restore refuses a database that is not empty" grep -q "is not empty" "$WORK/restore-2.out"
check "with a non-zero exit" test "$rc" -ne 0

# The production release, started by hand on the restored database, serves the same tenant.
(cd "$HOST" && exec node scripts/lib/env-file.cjs exec .env.production -- \
  env PORT="$RESTORED_PORT" HOSTNAME=127.0.0.1 STORAGE_LOCAL_DIR="$WORK/blobs-restored" DATABASE_URL="postgres://everyskill_web:web@127.0.0.1:$PG_PORT/everyskill_restored" \
  node "builds/production/current/apps/web/server.js" >"$WORK/restored-app.log" 2>&1) &
BG_PIDS+=($!) # env-file.cjs passes SIGTERM on to the server
for _ in $(seq 60); do [[ -n "$(health_build "$RESTORED_PORT" 2>/dev/null)" ]] && break; sleep 0.5; done
h1_of() { # port host
  curl -sS -m 10 -H "Host: $2:$1" "http://127.0.0.1:$1/" | grep -oE '<h1[^>]*>[^<]*</h1>' | head -n 1 | sed -E 's/<[^>]+>//g'
}
prod_h1="$(h1_of "$PROD_PORT" acme.localhost)"
expect_eq "production serves Acme Corp on acme.localhost" "$prod_h1" "Acme Corp"
expect_eq "the app on the restored database serves the same page title" "$(h1_of "$RESTORED_PORT" acme.localhost)" "$prod_h1"
expect_eq "and the same second tenant" "$(h1_of "$RESTORED_PORT" globex.localhost)" "Globex Inc"
index_of() { # port
  curl -sS -m 10 -H "Host: demo.localhost:$1" "http://127.0.0.1:$1/.well-known/agent-skills/index.json"
}
prod_index="$(index_of "$PROD_PORT")"
expect_eq "production lists the two public sample skills" \
  "$(node -e 'console.log(JSON.parse(process.argv[1]).skills.map((s) => s.name).sort().join(","))' "$prod_index")" \
  "csv-profiler,release-notes-writer"
expect_eq "the restored app lists the same public skills with the same digests" "$(index_of "$RESTORED_PORT")" "$prod_index"
# An agent's key against production (PostgreSQL, PM2 workers): the skill read that checks its key in
# the same statement, on connections bound to the key's tenant; revoking the key stops it at once.
key_out="$( (cd "$HOST" && node scripts/lib/env-file.cjs exec .env.production -- pnpm -s everyskill admin key create --email max@demo.test --scope skills:read) 2>&1)" ||
  { echo "$key_out"; false; }
agent_key="$(grep -oE '^rlk_[0-9A-Za-z]{43}$' <<<"$key_out")"
skill_of() { # key → "<status> <slug>"
  local body status
  body="$(curl -sS -m 10 -H "Host: demo.localhost:$PROD_PORT" -H "Authorization: Bearer $1" -w '\n%{http_code}' "http://127.0.0.1:$PROD_PORT/api/v1/skills/csv-profiler")"
  status="${body##*$'\n'}"
  printf '%s %s' "$status" "$(node -e 'try { console.log(JSON.parse(process.argv[1]).slug ?? JSON.parse(process.argv[1]).error.code) } catch { console.log("?") }' "${body%$'\n'*}")"
}
expect_eq "production serves a skill to an agent's key" "$(skill_of "$agent_key")" "200 csv-profiler"
psql_admin everyskill <<<"UPDATE api_keys SET revoked_at = now() WHERE key_hash = encode(sha256(convert_to('$agent_key', 'UTF8')), 'hex');" >/dev/null
expect_eq "and refuses the key once it is revoked" "$(skill_of "$agent_key")" "401 unauthorized"
# Every artifact the restored app serves (read from the restored blob folder) matches its digest.
artifacts_match() { # port index-json
  local url digest
  while read -r url digest; do
    [[ "$(curl -sS -m 10 -H "Host: demo.localhost:$1" "http://127.0.0.1:$1$url" | sha256sum | cut -d' ' -f1)" == "${digest#sha256:}" ]] || return 1
  done < <(node -e 'for (const s of JSON.parse(process.argv[1]).skills) console.log(new URL(s.url, "http://x/.well-known/agent-skills/").pathname, s.digest)' "$2")
}
check "the restored app serves each public skill's bytes, matching its digest" artifacts_match "$RESTORED_PORT" "$prod_index"

# Caddy's on-demand TLS asking the real production app (not the stand-in): a certificate for an
# active tenant's host, none for an unknown one.
phase "Caddy on-demand TLS asking production's /api/check-domain"
check "Caddy obtains a certificate for acme.localhost and refuses unknown-company.localhost" \
  env CADDY_TEST_ASK_URL="http://127.0.0.1:$PROD_PORT/api/check-domain" CADDY_TEST_ROOT_DOMAIN=localhost \
  CADDY_TEST_ALLOWED_HOST=acme.localhost CADDY_TEST_REFUSED_HOST=unknown-company.localhost \
  CADDY_TEST_HTTP_PORT="${OPS_TEST_CADDY_HTTP_PORT:-18180}" CADDY_TEST_HTTPS_PORT="${OPS_TEST_CADDY_HTTPS_PORT:-18543}" \
  bash "$SRC/ops-tests/caddy-test.sh"

# ------------------------------------------------------------------------------ report ----
phase "figures"
FIG[total_s]=$((SECONDS - started_at))
FIG[release_size]="$(du -sh "$HOST/builds/releases/$REL_A" | cut -f1)"
{
  printf '{\n'
  first=1
  for key in $(printf '%s\n' "${!FIG[@]}" | sort); do
    [[ $first == 1 ]] || printf ',\n'
    first=0
    printf '  "%s": "%s"' "$key" "${FIG[$key]}"
  done
  printf '\n}\n'
} | tee "$WORK/report.json"
mkdir -p "$(dirname "$REPORT")"
cp "$WORK/report.json" "$REPORT"
summary deploy
