#!/usr/bin/env bash
# `npm test`: installs what is missing, brings the embedded stack up, then lint (biome, shellcheck),
# type-check, build and the vitest suites (unit and end-to-end on the real stack). Extra arguments
# go to vitest.
# A stack this script had to start is stopped again at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/node-deps.sh
bash scripts/setup.sh
# `stack.sh serving` exits 0/1 (no `status | grep -q` pipe: grep -q exits at its first match,
# `status` can die of SIGPIPE and, under pipefail, a running stack would look stopped).
if ! bash scripts/stack.sh serving; then
  trap 'bash scripts/stack.sh down' EXIT
fi
bash scripts/stack.sh up

echo "==> lint and format check (biome)" >&2
npx biome check .
echo "==> shell scripts (shellcheck)" >&2
shellcheck -x scripts/*.sh .ci/run
echo "==> scripted agent's Python (ruff)" >&2
bash scripts/ruff.sh check
echo "==> type check" >&2
npx tsc -p tsconfig.json --noEmit
echo "==> build" >&2
npm run --silent build
echo "==> vitest" >&2
results=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$results" "$@" || status=$?
# One plain closing line, the same whatever reporter is on screen.
# shellcheck disable=SC2016 # JavaScript template literal, not a shell expansion
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' "$results"
rm -f "$results"
exit "$status"
