#!/usr/bin/env bash
# Every operations test: docker/Caddyfile under a real Caddy, then deploy.sh / PM2 / backups
# end to end. Loopback only; each test cleans up after itself. Ends with "ops: N passed, N failed".
#
#   bash ops-tests/run.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS
passed=0
failed=0
status=0
for test in caddy-test deploy-test; do
  printf '\n######## ops-tests/%s.sh\n' "$test"
  log="$(mktemp)"
  bash "ops-tests/$test.sh" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line="$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)"
  rm -f "$log"
  if [[ -z "$line" ]]; then
    line="$test: 0 passed, 1 failed" # died before its summary
  fi
  read -r p f < <(sed -E 's/^[a-z-]+: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
  if [[ $rc != 0 ]]; then
    status=1
    ((f > 0)) || failed=$((failed + 1))
  fi
done
printf '\nops tests took %ss\n' "$((SECONDS - started))"
echo "ops: $passed passed, $failed failed"
exit "$status"
