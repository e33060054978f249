#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than package-lock.json.
# `npm install`, not `npm ci`: npm 11 leaves other platforms' optional packages out of the lock
# file and `npm ci` then refuses it as out of sync; install keeps the lock file as it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "ERROR: npm not found: install Node.js 20 or later" >&2; exit 1; }
echo "==> npm install (from package-lock.json)" >&2
npm install --no-audit --no-fund --loglevel=error
