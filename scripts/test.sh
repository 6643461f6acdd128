#!/usr/bin/env bash
# The test command of the README: makes sure what the tests need is installed, then runs every
# test in the workspace. It fails, never skips, when a dependency cannot be had.
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

# The PostgreSQL backend's tests need the server at 127.0.0.1:5432 (trust auth, database `test`).
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable at 127.0.0.1:5432" >&2; exit 1; }

cargo test --workspace "$@"
