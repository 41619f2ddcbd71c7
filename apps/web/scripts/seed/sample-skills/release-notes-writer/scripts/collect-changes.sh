#!/usr/bin/env bash
# Prints the non-merge commits between two refs, one per line: "<short sha> <subject>".
# Usage: collect-changes.sh <from-ref> [to-ref]   (to-ref defaults to HEAD)
set -euo pipefail

from="${1:?usage: collect-changes.sh <from-ref> [to-ref]}"
to="${2:-HEAD}"

if ! git rev-parse --verify --quiet "$from" >/dev/null; then
  echo "unknown ref: $from" >&2
  exit 1
fi

git log --no-merges --reverse --format='%h %s' "${from}..${to}"
