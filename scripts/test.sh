#!/usr/bin/env bash
# Install what the tests need and run them all (unit, build, AppTest and real-browser tests).
#   bash scripts/test.sh [pytest args]
# Builds from the mirror in ../shared/data/mirror unless ATLAS_MIRROR names another folder.
set -euo pipefail
cd "$(dirname "$0")/.."

# The lock is complete and hash-pinned (requirements-dev.in -> requirements-dev.txt): pip refuses any
# package or file that is not in it.
python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt

if [ -z "${ATLAS_MIRROR:-}" ] && [ -d ../shared/data/mirror ]; then
  ATLAS_MIRROR="$(cd ../shared/data/mirror && pwd)"
fi
export ATLAS_MIRROR

# Browser tests drive Debian's Chromium (never `playwright install`: it downloads and fails offline).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium not found and cannot be installed here: browser tests will be skipped." >&2
  fi
fi

# axe-core for the accessibility checks in the browser suite (npm registry; not committed).
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  npm install --no-save --no-audit --no-fund --silent axe-core@4.14.1 >/dev/null 2>&1 \
    || echo "npm install axe-core failed: accessibility tests will fail in CI, skip elsewhere." >&2
fi

exec python -m pytest "$@"
