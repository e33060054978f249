#!/usr/bin/env bash
# Installs the npm dependencies with `npm ci` (exactly package-lock.json; never rewrites it) when
# node_modules is missing or older than package-lock.json. The lock file lists every platform's
# optional packages (biome, swc, rolldown, ... for darwin, win32, musl and the rest), which
# `npm ci` requires: after a dependency change, regenerate it with `npm install` and check that
# `npm ci` in a fresh clone leaves it unchanged.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "ERROR: npm not found: install Node.js 20 or later" >&2; exit 1; }
echo "==> npm ci (from package-lock.json)" >&2
npm ci --no-audit --no-fund --loglevel=error
