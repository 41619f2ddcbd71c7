#!/usr/bin/env bash
# The one "run it" command for a fresh machine with Node 20 and npm: installs pnpm and the
# packages, prepares the embedded database (migrations + demo tenant + sample skills),
# builds the portal and serves it at http://localhost:3000 (or $PORT).
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [[ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]]; then
  npm install -g "pnpm@$PNPM_VERSION"
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
pnpm install --frozen-lockfile
pnpm db:seed
pnpm build
export PORT="${PORT:-3000}"
export APP_URL="${APP_URL:-http://localhost:$PORT}"
echo "EverySkill is starting on $APP_URL (embedded database under .data/ unless DATABASE_URL is set)"
exec pnpm --filter @everyskill/web start
