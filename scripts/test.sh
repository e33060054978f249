#!/usr/bin/env bash
# `npm test`: installs what is missing, brings the embedded stack up, then lint, type-check, build
# and the vitest suites (unit and end-to-end on the real stack). Extra arguments go to vitest.
# A stack this script had to start is stopped again at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/node-deps.sh
bash scripts/setup.sh
if ! bash scripts/stack.sh status | grep -qE '^temporal +SERVING'; then
  trap 'bash scripts/stack.sh down' EXIT
fi
bash scripts/stack.sh up

echo "==> lint and format check (biome)" >&2
npx biome check .
echo "==> type check" >&2
npx tsc -p tsconfig.json --noEmit
echo "==> build" >&2
npm run --silent build
echo "==> vitest" >&2
results=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$results" "$@" || status=$?
# One plain closing line, the same whatever reporter is on screen.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' "$results"
rm -f "$results"
exit "$status"
