#!/usr/bin/env bash
# The test command of the README: makes sure what the tests need is installed, then runs every
# test in the workspace twice, on SQLite and on PostgreSQL (RRM_TEST_BACKEND). It fails, never
# skips, when a dependency cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium through chromedriver.
if [ -d crates/rrm-web/tests ] && grep -rqs chromedriver crates/*/tests; then
  if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
    echo "== installing chromium and chromium-driver (browser tests)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  command -v chromedriver >/dev/null || { echo "chromedriver is missing" >&2; exit 1; }
fi

# The PostgreSQL backend's tests, and the whole second pass, need the server at 127.0.0.1:5432
# (trust auth, database `test`; RRM_TEST_DATABASE_URL names another). Each test makes a schema
# of its own there and drops it when it ends.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable at 127.0.0.1:5432" >&2; exit 1; }
# The default test server's database, made on a fresh cluster (a named server is taken as is).
if [ -z "${RRM_TEST_DATABASE_URL:-}" ] &&
  ! psql -h 127.0.0.1 -U postgres -d test -Atqc 'select 1' >/dev/null 2>&1; then
  echo "== creating the PostgreSQL database test"
  createdb -h 127.0.0.1 -U postgres test ||
    { echo "cannot create the database test (trust auth for postgres?)" >&2; exit 1; }
fi

# The blob-store tests need an S3-compatible server: moto's, from PyPI, in a virtualenv kept
# across runs, started on a free port and stopped when this script ends. The tests read its
# URL from RRM_TEST_S3_ENDPOINT and fail (never skip) without it.
MOTO_VERSION=5.2.5
MOTO_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/rrm/moto-$MOTO_VERSION"
if ! "$MOTO_VENV/bin/moto_server" --help >/dev/null 2>&1; then
  echo "== installing moto[server] $MOTO_VERSION (the S3-compatible test server)"
  rm -rf "$MOTO_VENV"
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
# Two servers: plain HTTP, and HTTPS with a certificate from a throwaway authority the TLS
# tests trust through RRM_S3_CA_FILE (made by scripts/s3-test-tls.py).
MOTO_DIR="$(mktemp -d)"
MOTO_PIDS=()
trap 'for p in "${MOTO_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$MOTO_DIR"' EXIT
"$MOTO_VENV/bin/python" scripts/s3-test-tls.py "$MOTO_DIR"

# Starts moto_server with the given extra arguments and sets variable $1 to its URL once it
# listens (not in a subshell, so that the trap above knows its pid).
start_moto() {
  local var="$1" log="$MOTO_DIR/moto-${#MOTO_PIDS[@]}.log" url=""
  shift
  "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p 0 "$@" >"$log" 2>&1 &
  MOTO_PIDS+=("$!")
  for _ in $(seq 1 60); do
    url="$(grep -o 'https\?://127\.0\.0\.1:[0-9]*' "$log" | head -n1 || true)"
    [ -n "$url" ] && break
    kill -0 "${MOTO_PIDS[-1]}" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$url" ]; then
    echo "the S3 test server (moto_server $*) did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  printf -v "$var" '%s' "$url"
}
start_moto RRM_TEST_S3_ENDPOINT
start_moto RRM_TEST_S3_TLS_ENDPOINT -c "$MOTO_DIR/server.pem" -k "$MOTO_DIR/server.key"
RRM_TEST_S3_CA_FILE="$MOTO_DIR/ca.pem"
export RRM_TEST_S3_ENDPOINT RRM_TEST_S3_TLS_ENDPOINT RRM_TEST_S3_CA_FILE
echo "== S3 test servers at $RRM_TEST_S3_ENDPOINT and $RRM_TEST_S3_TLS_ENDPOINT"

# Both passes run even when the first fails, so one run reports both backends.
status=0
pass() {
  local name="$1" start=$SECONDS
  shift
  echo "== tests on $name"
  if "$@"; then
    echo "== $name: passed in $((SECONDS - start)) s"
  else
    echo "== $name: FAILED after $((SECONDS - start)) s" >&2
    status=1
  fi
}
pass SQLite env RRM_TEST_BACKEND=sqlite cargo test --workspace --no-fail-fast "$@"
# The crates below never open an rrm store through RRM_TEST_BACKEND (the domain, the case file
# format, the seam's own tests, the blob stores, and the two backends' own suites, which run
# on their backend in the first pass already), so a second run of them would test nothing new.
pass PostgreSQL env RRM_TEST_BACKEND=postgres cargo test --workspace --no-fail-fast \
  --exclude rrm-core --exclude rrm-casefile --exclude rrm-store --exclude rrm-blobs \
  --exclude rrm-store-sqlite --exclude rrm-store-postgres "$@"
exit "$status"
