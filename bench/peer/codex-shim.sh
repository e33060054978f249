#!/usr/bin/env bash
# Stands in for the Codex CLI when Spec Kit's workflow engine dispatches a command step
# (SPECKIT_INTEGRATION_CODEX_EXECUTABLE): `codex-shim.sh exec '$speckit-<phase> [args]'` runs
# `scripted-agent <phase> [args]`, the same agent and arguments the worker's containers run.
set -euo pipefail
if [[ ${1:-} != exec || $# -lt 2 ]]; then
  echo "codex-shim: expected exec <prompt>, got: $*" >&2
  exit 2
fi
prompt=$2
command=${prompt%% *}
args=${prompt#"$command"}
args=${args# }
phase=${command#?speckit-} # '$speckit-plan' (Codex skills) or '/speckit-plan'
exec "${BENCH_SCRIPTED_AGENT:?}" "$phase" ${args:+"$args"}
