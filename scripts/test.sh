#!/usr/bin/env bash
# The one test command: installs what is missing (apt packages, pnpm, npm packages), then runs
# unit + integration tests on the embedded PGlite and on a private PostgreSQL 15 + pgvector,
# builds the app once and runs the end-to-end suites against the built app.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
LOG_DIR="$ROOT/.data/test-logs"
mkdir -p "$LOG_DIR"
rm -f "$LOG_DIR"/*.log
started=$SECONDS

step() { printf '\n==> [%4ss] %s\n' "$((SECONDS - started))" "$*"; }

step "system packages (PostgreSQL 15 + pgvector, Chromium, Caddy)"
if [[ $(id -u) == 0 ]]; then
  bash scripts/install-system-deps.sh
else
  sudo bash scripts/install-system-deps.sh
fi

step "pnpm $PNPM_VERSION"
if [[ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]]; then
  npm install -g "pnpm@$PNPM_VERSION"
fi

step "npm packages"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
pnpm install --frozen-lockfile

step "dependency rules (layers of the packages; src/server imports no route file)"
node scripts/check-dependencies.mjs

# The public skills corpus the validation and search tests read in place: beside the repository
# (../shared/corpus) or beside one of its parent folders; EVERYSKILL_CORPUS_DIR overrides.
if [[ -z "${EVERYSKILL_CORPUS_DIR:-}" ]]; then
  dir="$ROOT"
  while [[ "$dir" != / ]]; do
    dir="$(dirname "$dir")"
    if [[ -d "$dir/shared/corpus/skills" ]]; then export EVERYSKILL_CORPUS_DIR="$dir/shared/corpus"; break; fi
  done
fi
echo "skills corpus: ${EVERYSKILL_CORPUS_DIR:-not found (the corpus tests will say where they looked)}"

run_unit() { # $1: label
  local log="$LOG_DIR/unit-$1.log"
  pnpm exec turbo run test --concurrency=1 --env-mode=loose --output-logs=full 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

step "unit + integration tests on the embedded database (PGlite)"
(unset DATABASE_URL DATABASE_OWNER_URL TEST_PG_ADMIN_URL; run_unit pglite)

step "private PostgreSQL 15 + pgvector"
bash scripts/test-pg.sh start
trap 'bash scripts/test-pg.sh stop >/dev/null 2>&1 || true' EXIT
eval "$(bash scripts/test-pg.sh env)"
pnpm db:migrate

step "unit + integration tests on PostgreSQL"
run_unit postgres

step "build (one build, used by every end-to-end suite)"
pnpm build

step "end-to-end tests (Chromium)"
(unset DATABASE_URL DATABASE_OWNER_URL TEST_PG_ADMIN_URL; pnpm test:e2e 2>&1 | tee "$LOG_DIR/e2e.log"; exit "${PIPESTATUS[0]}")

step "operations tests (Caddy on-demand TLS, deploy.sh under PM2, backup and restore)"
bash ops-tests/run.sh 2>&1 | tee "$LOG_DIR/ops.log"
[[ ${PIPESTATUS[0]} == 0 ]] || exit 1

# One closing line over every suite; the runners above already failed the script on any failure.
set +o pipefail # a suite without a "failed" line is the good case, not an error
strip() { sed 's/\x1b\[[0-9;]*m//g' "$@"; }
sum() { local n total=0; while read -r n; do total=$((total + n)); done; echo "$total"; }
passed=$(( $(strip "$LOG_DIR"/unit-*.log | grep -oE ':test: +Tests +([0-9]+ failed \| )?[0-9]+ passed' | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' | sum) \
  + $(strip "$LOG_DIR/e2e.log" | grep -oE '^ +[0-9]+ passed \(' | grep -oE '[0-9]+' | sum) \
  + $(grep -oE '^ops: [0-9]+ passed' "$LOG_DIR/ops.log" | grep -oE '[0-9]+' | sum) ))
failed=$(( $(strip "$LOG_DIR"/unit-*.log | grep -oE ':test: +Tests +[0-9]+ failed' | grep -oE '[0-9]+' | sum) \
  + $(strip "$LOG_DIR/e2e.log" | grep -oE '^ +[0-9]+ failed$' | grep -oE '[0-9]+' | sum) \
  + $(grep -oE '^ops: [0-9]+ passed, [0-9]+ failed' "$LOG_DIR/ops.log" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' | sum) ))
step "done in $((SECONDS - started)) s"
echo "all: $passed passed, $failed failed"
[[ $failed == 0 ]]
