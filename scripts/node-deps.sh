#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "ERROR: npm not found: install Node.js 20 or later" >&2; exit 1; }
echo "==> npm ci" >&2
npm ci --no-audit --no-fund --loglevel=error
