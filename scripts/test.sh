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

cargo test --workspace "$@"
