#!/usr/bin/env bash
# Runs docker/Caddyfile (as is) in a foreground Caddy on high ports with its internal CA, and
# checks: proxying of the root domain and staging, the www redirect, X-Forwarded-* and
# X-Request-ID, and on-demand TLS: a certificate for a host the `ask` endpoint accepts, none for
# one it refuses.
#
#   bash ops-tests/caddy-test.sh
#
# By default `ask` goes to a stand-in (ops-tests/lib/caddy-stub.mjs) that accepts
# acme.<root>. To ask the real app instead: CADDY_TEST_ASK_URL=http://127.0.0.1:2000/api/check-domain
# with CADDY_TEST_ROOT_DOMAIN, CADDY_TEST_ALLOWED_HOST (an active tenant's host) and
# CADDY_TEST_REFUSED_HOST matching that app's data.
set -euo pipefail
[[ "${OPS_TEST_DEBUG:-0}" == 1 ]] && set -x
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/ops-tests/lib/assert.sh"

ROOT_DOMAIN="${CADDY_TEST_ROOT_DOMAIN:-example.test}"
ALLOWED_HOST="${CADDY_TEST_ALLOWED_HOST:-acme.$ROOT_DOMAIN}"
REFUSED_HOST="${CADDY_TEST_REFUSED_HOST:-unknown-company.$ROOT_DOMAIN}"
HTTP_PORT="${CADDY_TEST_HTTP_PORT:-18080}"
HTTPS_PORT="${CADDY_TEST_HTTPS_PORT:-18443}"

WORK="$(mktemp -d /tmp/everyskill-caddy-test.XXXXXX)"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${OPS_TEST_KEEP:-0}" == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "==> caddy $(caddy version | cut -d' ' -f1) with docker/Caddyfile on :$HTTP_PORT/:$HTTPS_PORT"
for port in "$HTTP_PORT" "$HTTPS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use; set CADDY_TEST_HTTP_PORT / CADDY_TEST_HTTPS_PORT" >&2
    exit 1
  fi
done

node "$ROOT/ops-tests/lib/caddy-stub.mjs" --allow "$ALLOWED_HOST" --ports-file "$WORK/ports.json" \
  --ask-log "$WORK/ask.log" >"$WORK/stub.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [[ -s "$WORK/ports.json" ]] && break; sleep 0.1; done
port_of() { node -e 'process.stdout.write(String(require(process.argv[1])[process.argv[2]]))' "$WORK/ports.json" "$1"; }
ASK_URL="${CADDY_TEST_ASK_URL:-http://127.0.0.1:$(port_of ask)/api/check-domain}"

# Caddy gets only what the Caddyfile documents, plus a private home: its CA, certificates and
# autosave stay in $WORK. local_certs = `tls internal` for every site; admin off = no :2019.
env -i PATH="$PATH" HOME="$WORK/home" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" \
  ROOT_DOMAIN="$ROOT_DOMAIN" ACME_EMAIL="ops@$ROOT_DOMAIN" \
  PROD_UPSTREAM="127.0.0.1:$(port_of prod)" STAGING_UPSTREAM="127.0.0.1:$(port_of staging)" \
  CHECK_DOMAIN_URL="$ASK_URL" CADDY_HTTP_PORT="$HTTP_PORT" CADDY_HTTPS_PORT="$HTTPS_PORT" \
  CADDY_GLOBAL_EXTRA=$'local_certs\n\tskip_install_trust\n\tadmin off' \
  caddy run --config "$ROOT/docker/Caddyfile" --adapter caddyfile >"$WORK/caddy.log" 2>&1 &
PIDS+=($!)
CA="$WORK/data/caddy/pki/authorities/local/root.crt"
for _ in $(seq 100); do
  [[ -f "$CA" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$HTTPS_PORT") 2>/dev/null && break
  sleep 0.1
done
if [[ ! -f "$CA" ]]; then
  tail -n 30 "$WORK/caddy.log" >&2
  echo "caddy did not start" >&2
  exit 1
fi

# curl over HTTPS, verifying the certificate against Caddy's own CA; prints headers + body.
https() { # host path [curl args]
  local host="$1" path="$2"
  shift 2
  curl -sS -m 20 --cacert "$CA" --resolve "$host:$HTTPS_PORT:127.0.0.1" -D - "$@" "https://$host:$HTTPS_PORT$path"
}
header_of() { grep -i "^$1:" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
body_field() { # response, js expression on the parsed body `b`
  sed -n '/^\r\{0,1\}$/,$p' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const b=JSON.parse(s);process.stdout.write(String(eval(process.argv[1])))})' "$1"
}

echo "==> root domain, staging, www"
response="$(https "$ROOT_DOMAIN" '/skills?q=1')"
expect_eq "$ROOT_DOMAIN goes to the production upstream" "$(body_field 'b.upstream' <<<"$response")" production
expect_eq "the path and query reach the app" "$(body_field 'b.url' <<<"$response")" '/skills?q=1'
# The client asked for a non-default port, so Host (and X-Forwarded-Host) carry it; on 443 they don't.
expect_eq "Host is the requested host" "$(body_field 'b.headers.host' <<<"$response")" "$ROOT_DOMAIN:$HTTPS_PORT"
expect_eq "X-Forwarded-Proto is https" "$(body_field 'b.headers["x-forwarded-proto"]' <<<"$response")" https
expect_eq "X-Forwarded-Host is the requested host" "$(body_field 'b.headers["x-forwarded-host"]' <<<"$response")" "$ROOT_DOMAIN:$HTTPS_PORT"
expect_eq "X-Forwarded-For is the client address" "$(body_field 'b.headers["x-forwarded-for"]' <<<"$response")" 127.0.0.1
generated="$(body_field 'b.headers["x-request-id"]' <<<"$response")"
expect_match "a request without X-Request-ID gets a generated one upstream" "$generated" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
expect_eq "the generated request id is returned to the client" "$(header_of X-Request-ID <<<"$response")" "$generated"

response="$(https "$ROOT_DOMAIN" / -H 'X-Request-ID: client-chosen-42' -H 'X-Forwarded-For: 203.0.113.9' -H 'X-Forwarded-Host: evil.example')"
expect_eq "an incoming X-Request-ID is kept" "$(body_field 'b.headers["x-request-id"]' <<<"$response")" client-chosen-42
expect_eq "and returned" "$(header_of X-Request-ID <<<"$response")" client-chosen-42
expect_eq "a client's own X-Forwarded-For is not trusted" "$(body_field 'b.headers["x-forwarded-for"]' <<<"$response")" 127.0.0.1
expect_eq "a client's own X-Forwarded-Host is not trusted" "$(body_field 'b.headers["x-forwarded-host"]' <<<"$response")" "$ROOT_DOMAIN:$HTTPS_PORT"

response="$(https "staging.$ROOT_DOMAIN" /api/health)"
expect_eq "staging.$ROOT_DOMAIN goes to the staging upstream" "$(body_field 'b.upstream' <<<"$response")" staging

response="$(https "www.$ROOT_DOMAIN" '/skills?q=2')"
expect_match "www.$ROOT_DOMAIN redirects permanently" "$(head -n 1 <<<"$response")" ' 308'
expect_eq "to the same path on the root domain" "$(header_of Location <<<"$response")" "https://$ROOT_DOMAIN/skills?q=2"

code="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' --resolve "$ROOT_DOMAIN:$HTTP_PORT:127.0.0.1" "http://$ROOT_DOMAIN:$HTTP_PORT/")"
expect_eq "plain HTTP redirects to HTTPS" "$code" 308

echo "==> on-demand TLS"
response="$(https "$ALLOWED_HOST" / 2>&1)" || true
expect_eq "a certificate is issued for $ALLOWED_HOST (verified against Caddy's CA)" "$(body_field 'b.upstream' <<<"$response" 2>/dev/null || echo "no answer: ${response:0:200}")" production
expect_eq "the tenant host reaches the app as Host" "$(body_field 'b.headers.host' <<<"$response" 2>/dev/null)" "$ALLOWED_HOST:$HTTPS_PORT"
subject="$(openssl s_client -connect "127.0.0.1:$HTTPS_PORT" -servername "$ALLOWED_HOST" </dev/null 2>/dev/null |
  openssl x509 -noout -ext subjectAltName 2>/dev/null | tail -n 1 | tr -d ' ')"
expect_eq "its certificate names exactly that host" "$subject" "DNS:$ALLOWED_HOST"
if [[ -z "${CADDY_TEST_ASK_URL:-}" ]]; then # the stand-in records what it was asked
  check "Caddy asked the app about $ALLOWED_HOST first" grep -qx "$ALLOWED_HOST 200" "$WORK/ask.log"
fi
check "and obtained the certificate on demand" grep -q "\"obtaining new certificate\".*\"server_name\":\"$ALLOWED_HOST\"" "$WORK/caddy.log"

rc=0
curl -sS -m 20 --cacert "$CA" --resolve "$REFUSED_HOST:$HTTPS_PORT:127.0.0.1" -o /dev/null \
  "https://$REFUSED_HOST:$HTTPS_PORT/" 2>"$WORK/refused.err" || rc=$?
expect_eq "no certificate for $REFUSED_HOST: the TLS handshake fails (curl exit 35)" "$rc" 35
if [[ -z "${CADDY_TEST_ASK_URL:-}" ]]; then
  check "Caddy asked the app about $REFUSED_HOST and was told no" grep -qx "$REFUSED_HOST 404" "$WORK/ask.log"
fi
certs="$(find "$WORK/data/caddy/certificates" -name '*.crt' -printf '%f\n' | sort | tr '\n' ' ')"
check "no certificate for $REFUSED_HOST is stored" test "${certs/$REFUSED_HOST/}" == "$certs"

summary caddy
