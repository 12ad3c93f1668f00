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

# Debian packages the tests need: Chromium for the browser tests (never `playwright install`: it
# downloads and fails offline), PostgreSQL for the admin store on several hosts (the tests start their
# own throwaway server), nginx for the deployment tests. One apt-get for whatever is missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
{ command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; } || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  apt=()
  if [ "$(id -u)" = 0 ]; then apt=(env); elif command -v sudo >/dev/null 2>&1; then apt=(sudo env); fi
  if [ "${#apt[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} (Debian packages) ..." >&2
    start=$SECONDS
    "${apt[@]}" apt-get update -qq
    for pkg in "${missing[@]}"; do
      # The services are not used (the tests start their own); without recommends the servers stay small.
      flags=(); [ "$pkg" = chromium ] || flags=(--no-install-recommends)
      "${apt[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${flags[@]}" "$pkg" >/dev/null
    done
    echo "Installed ${missing[*]} in $((SECONDS - start)) s." >&2
  else
    echo "Not installed and cannot be installed here: ${missing[*]}; their tests will be skipped." >&2
  fi
fi

# axe-core for the accessibility checks in the browser suite (npm registry; not committed).
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  npm install --no-save --no-audit --no-fund --silent axe-core@4.14.1 >/dev/null 2>&1 \
    || echo "npm install axe-core failed: accessibility tests will fail in CI, skip elsewhere." >&2
fi

exec python -m pytest "$@"
