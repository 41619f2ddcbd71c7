#!/usr/bin/env bash
# Install the system (apt) dependencies EverySkill needs for development and tests.
#
# - Idempotent: checks first and only installs what is missing; a second run is a
#   no-op that takes well under a second.
# - Prints one line per step. Full apt/make output goes to a log file that is
#   shown (tail) only when a step fails.
# - Does NOT install node, pnpm or npm packages.
#
# Must run as root on Debian 12 (bookworm).
set -euo pipefail

PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
PG_CONFIG="${PG_BIN}/pg_config"
PG_EXT_DIR="/usr/share/postgresql/${PG_MAJOR}/extension"
PGVECTOR_VERSION="${PGVECTOR_VERSION:-0.8.0}"

# Debian's own apt source (deb822). The trixie deb-src entry is derived from it at
# run time so no mirror host name is ever hard-coded here.
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
TRIXIE_SRC_LIST=/etc/apt/sources.list.d/everyskill-trixie-src.sources

export DEBIAN_FRONTEND=noninteractive

APT_PACKAGES=(
  "postgresql-${PG_MAJOR}"
  "postgresql-server-dev-${PG_MAJOR}" # pg_config + PGXS headers, needed to build pgvector
  build-essential
  chromium
  caddy
  dpkg-dev # dpkg-source, used by `apt-get source`
  ca-certificates
  curl
  rsync
  xz-utils
  jq # with openssl: the attestation check by hand of docs/provenance.md, run by a test
  openssl
  unzip
)

START=$SECONDS
LOG="$(mktemp -t everyskill-deps.XXXXXX.log)"
WORK_DIR=""
POLICY_RC_CREATED=0

cleanup() {
  local rc=$?
  [[ -n "$WORK_DIR" ]] && rm -rf "$WORK_DIR"
  [[ $POLICY_RC_CREATED == 1 ]] && rm -f /usr/sbin/policy-rc.d
  if [[ $rc == 0 ]]; then
    rm -f "$LOG"
  else
    echo "[deps] FAILED (exit $rc). Last lines of $LOG:" >&2
    tail -n 40 "$LOG" >&2 || true
  fi
}
trap cleanup EXIT

step() { printf '[deps] %-28s %s\n' "$1" "$2"; }
die() { echo "[deps] ERROR: $*" >&2; exit 1; }
# Run a command with its output captured in $LOG.
quiet() { "$@" >>"$LOG" 2>&1; }

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == "ii " ]]
}

pgvector_version() {
  sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "${PG_EXT_DIR}/vector.control" 2>/dev/null || true
}

[[ $EUID -eq 0 ]] || die "must run as root"
[[ -r /etc/os-release ]] && . /etc/os-release
[[ "${VERSION_CODENAME:-}" == bookworm ]] || die "expected Debian bookworm, found '${VERSION_CODENAME:-unknown}'"

# ---------------------------------------------------------------- plan ----
# postgresql-contrib is only a metapackage on bookworm (pg_trgm/pgcrypto ship in
# postgresql-15 itself); install it anyway if the archive has it, as asked.
# (`apt-cache show` is slow-ish, so only ask when it is not installed already.)
if is_installed postgresql-contrib || apt-cache show postgresql-contrib >/dev/null 2>&1; then
  APT_PACKAGES+=(postgresql-contrib)
fi

MISSING=()
INSTALLED="$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true)"
for pkg in "${APT_PACKAGES[@]}"; do
  grep -qx "ii  ${pkg}" <<<"$INSTALLED" || MISSING+=("$pkg")
done

NEED_PGVECTOR=0
[[ "$(pgvector_version)" == "$PGVECTOR_VERSION" ]] || NEED_PGVECTOR=1

if [[ ${#MISSING[@]} -eq 0 && $NEED_PGVECTOR == 0 ]]; then
  step "apt packages" "all ${#APT_PACKAGES[@]} present"
  step "pgvector" "${PGVECTOR_VERSION} already installed"
  step "done" "$((SECONDS - START))s"
  exit 0
fi

# Write the trixie deb-src entry *before* the single apt-get update, so one update
# covers both the missing packages and the pgvector source.
write_trixie_src() {
  [[ -r "$DEBIAN_SOURCES" ]] || die "$DEBIAN_SOURCES not found; cannot derive a trixie deb-src entry"
  # deb822: stanzas are separated by blank lines. Take the first stanza of type
  # "deb" whose URIs is not the -security archive, and keep URIs, Components and
  # Signed-By (including an inline multi-line key, if any).
  local stanza
  stanza="$(awk '
    BEGIN { RS = ""; FS = "\n" }
    {
      types = ""; uris = ""; keep = ""; cur = ""
      for (i = 1; i <= NF; i++) {
        line = $i
        if (line ~ /^#/) continue
        if (line ~ /^[ \t]/) { if (cur != "") keep = keep "\n" line; continue }
        cur = ""
        split(line, kv, ":"); key = tolower(kv[1])
        val = substr(line, index(line, ":") + 1); sub(/^[ \t]+/, "", val)
        if (key == "types") types = val
        else if (key == "uris") { uris = val; cur = "x"; keep = keep "\nURIs: " val }
        else if (key == "components") { cur = "x"; keep = keep "\nComponents: " val }
        else if (key == "signed-by") { cur = "x"; keep = keep "\nSigned-By: " val }
      }
      if (types ~ /(^|[ \t])deb([ \t]|$)/ && uris != "" && uris !~ /security/) {
        print substr(keep, 2); exit
      }
    }' "$DEBIAN_SOURCES")"
  [[ -n "$stanza" ]] || die "no main-archive 'deb' stanza found in $DEBIAN_SOURCES"
  grep -q '^URIs: ' <<<"$stanza" || die "no URIs in main stanza of $DEBIAN_SOURCES"
  # deb-src only: apt gets no trixie *binary* index, so it can never install a
  # trixie binary package from this entry.
  local content
  content="$(printf '# Written by EverySkill scripts/install-system-deps.sh (derived from %s).\n# Source packages only: used to build pgvector %s for PostgreSQL %s.\nTypes: deb-src\nSuites: trixie\n%s\n' \
    "$DEBIAN_SOURCES" "$PGVECTOR_VERSION" "$PG_MAJOR" "$stanza")"
  if [[ ! -f "$TRIXIE_SRC_LIST" ]] || [[ "$(cat "$TRIXIE_SRC_LIST")" != "$content" ]]; then
    printf '%s\n' "$content" >"$TRIXIE_SRC_LIST"
  fi
}

if [[ $NEED_PGVECTOR == 1 ]]; then
  write_trixie_src
  step "trixie deb-src" "$TRIXIE_SRC_LIST"
fi

t=$SECONDS
quiet apt-get update || die "apt-get update failed"
step "apt-get update" "ok ($((SECONDS - t))s)"

# ---------------------------------------------------------- apt install ---
if [[ ${#MISSING[@]} -gt 0 ]]; then
  t=$SECONDS
  # Keep package postinst scripts from starting services (Debian's default
  # postgresql 15/main cluster, caddy on :80). Tests use their own private cluster
  # (scripts/test-pg.sh). Only added if the machine has no policy-rc.d already.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  quiet apt-get install -y --no-install-recommends "${MISSING[@]}" || die "apt-get install failed"
  [[ $POLICY_RC_CREATED == 1 ]] && { rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; }
  step "apt install" "${MISSING[*]} ($((SECONDS - t))s)"

  # If the default cluster got started anyway (e.g. it already existed and a
  # restart was triggered), stop it and keep it from auto-starting. It may exist;
  # it just must not be running.
  if [[ " ${MISSING[*]} " == *" postgresql-${PG_MAJOR} "* ]] && command -v pg_lsclusters >/dev/null; then
    if pg_lsclusters -h 2>/dev/null | awk -v v="$PG_MAJOR" '$1 == v && $2 == "main" && $4 == "online" { f = 1 } END { exit !f }'; then
      quiet pg_ctlcluster "$PG_MAJOR" main stop || true
    fi
    [[ -f "/etc/postgresql/${PG_MAJOR}/main/start.conf" ]] && echo manual >"/etc/postgresql/${PG_MAJOR}/main/start.conf"
    step "default pg cluster" "stopped, start.conf=manual"
  fi
else
  step "apt packages" "all ${#APT_PACKAGES[@]} present"
fi

for ext in pg_trgm pgcrypto; do
  [[ -f "${PG_EXT_DIR}/${ext}.control" ]] || die "${ext} extension missing from ${PG_EXT_DIR}"
done
[[ -x "$PG_CONFIG" ]] || die "$PG_CONFIG missing (postgresql-server-dev-${PG_MAJOR})"

# ------------------------------------------------------------- pgvector ---
# Built from Debian trixie's source package: bookworm has no pgvector 0.8.x, and
# a from-source build against bookworm's PostgreSQL 15 avoids any trixie binaries.
if [[ $NEED_PGVECTOR == 1 ]]; then
  t=$SECONDS
  # Version of the pgvector source package trixie offers (e.g. 0.8.0-1).
  SRC_VERSION="$(apt-cache showsrc pgvector 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)"
  [[ -n "$SRC_VERSION" ]] || die "no pgvector source package found in trixie deb-src"
  UPSTREAM="${SRC_VERSION#*:}"
  UPSTREAM="${UPSTREAM%-*}"
  [[ "$UPSTREAM" == "$PGVECTOR_VERSION" ]] \
    || die "trixie has pgvector source ${SRC_VERSION}, but ${PGVECTOR_VERSION} is required"
  step "pgvector source" "trixie has ${SRC_VERSION}"

  WORK_DIR="$(mktemp -d -t everyskill-pgvector.XXXXXX)"
  # `apt-get source` as root may warn that the download runs unsandboxed; harmless.
  (cd "$WORK_DIR" && quiet apt-get source -q "pgvector=${SRC_VERSION}") \
    || die "apt-get source pgvector=${SRC_VERSION} failed"
  SRC_DIR="$(find "$WORK_DIR" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
  [[ -n "$SRC_DIR" ]] || die "pgvector source tree not found after apt-get source"
  step "pgvector download" "ok ($((SECONDS - t))s)"

  t=$SECONDS
  # pgvector's Makefile defaults to OPTFLAGS=-march=native: fine when building on
  # the machine that runs it; set PGVECTOR_OPTFLAGS="" for a portable build.
  MAKE_ARGS=(PG_CONFIG="$PG_CONFIG")
  [[ -n "${PGVECTOR_OPTFLAGS+set}" ]] && MAKE_ARGS+=(OPTFLAGS="$PGVECTOR_OPTFLAGS")
  quiet make -C "$SRC_DIR" -j"$(nproc)" "${MAKE_ARGS[@]}" || die "pgvector build failed"
  quiet make -C "$SRC_DIR" install "${MAKE_ARGS[@]}" || die "pgvector install failed"
  installed="$(pgvector_version)"
  [[ "$installed" == "$PGVECTOR_VERSION" ]] \
    || die "after install vector.control says '${installed}', expected ${PGVECTOR_VERSION}"
  step "pgvector build+install" "${installed} ($((SECONDS - t))s)"
else
  step "pgvector" "${PGVECTOR_VERSION} already installed"
fi

step "done" "$((SECONDS - START))s"
