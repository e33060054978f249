#!/usr/bin/env bash
# `npm run demo`: one complete Spec Kit run with the offline scripted agent against a sample
# repository, on the real embedded stack. Stops what it started unless --keep-running is given.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
keep_running=false
[[ "${1:-}" == "--keep-running" ]] && keep_running=true

bash scripts/node-deps.sh
bash scripts/setup.sh
source scripts/lib.sh
stack_was_up=false
# Exits 0/1: no `status | grep -q` pipe, which can fail of SIGPIPE under pipefail (see test.sh).
bash scripts/stack.sh serving && stack_was_up=true
bash scripts/stack.sh up
npm run --silent build

worker_log="$SPECKIT_LOG_DIR/demo-worker.log"
log "starting a worker (log: $worker_log)"
node dist/bin/speckit-automation.js worker >"$worker_log" 2>&1 &
worker_pid=$!
stop_all() {
  if $keep_running; then
    log "kept running: worker pid $worker_pid, stack (npm run stack:down stops it)"
    return
  fi
  if kill "$worker_pid" 2>/dev/null; then
    wait "$worker_pid" 2>/dev/null || true
  fi
  $stack_was_up || bash scripts/stack.sh down
}
trap stop_all EXIT

remote=$(bash scripts/make-sample-repo.sh "$SPECKIT_STATE_DIR/demo")
log "sample repository: $remote"
node dist/bin/speckit-automation.js run --repo "$remote" --agent scripted --wait \
  --text "Let users share a to-do list with a teammate by email, with read-only or edit access"

cat <<'HINT'

The same run with a real agent: give the worker its endpoint and key, then name the agent.
  SPECKIT_AGENT_BASE_URL=https://your-gateway/v1 OPENAI_API_KEY=... node dist/bin/speckit-automation.js worker
  node dist/bin/speckit-automation.js run --repo <repo> --agent codex --wait --text "<feature description>"
(claude: ANTHROPIC_API_KEY, gemini: GEMINI_API_KEY, copilot: COPILOT_GITHUB_TOKEN; README "Agents".)
HINT
