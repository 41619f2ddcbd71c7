# Tiny assertion helpers for the ops tests (sourced). Each check prints one line; summary prints
# the closing "N passed, N failed" line and returns non-zero if anything failed.
OPS_PASSED=${OPS_PASSED:-0}
OPS_FAILED=${OPS_FAILED:-0}

ok() { OPS_PASSED=$((OPS_PASSED + 1)); printf '  ok    %s\n' "$*"; }
not_ok() { OPS_FAILED=$((OPS_FAILED + 1)); printf '  FAIL  %s\n' "$*"; }

# check "description" command args…  — passes when the command succeeds.
check() {
  local description="$1"
  shift
  if "$@"; then ok "$description"; else not_ok "$description"; fi
}

# expect_eq "description" actual expected
expect_eq() {
  if [[ "$2" == "$3" ]]; then ok "$1"; else not_ok "$1 (got '$2', expected '$3')"; fi
}

# expect_match "description" actual regex
expect_match() {
  if [[ "$2" =~ $3 ]]; then ok "$1"; else not_ok "$1 ('$2' does not match /$3/)"; fi
}

summary() {
  echo "${1:+$1: }$OPS_PASSED passed, $OPS_FAILED failed"
  [[ $OPS_FAILED == 0 ]]
}
