"""The `scripted-agent` command: checks its usage, applies the test hooks, runs the phase.

Exit codes: 0 done, 1 the phase failed, 2 bad usage, a test hook's code, 128 + signal.
"""

import datetime
import os
import signal
import sys

from scripted_agent.context import Context
from scripted_agent.errors import AgentError
from scripted_agent.hooks import Hooks
from scripted_agent.phases import PHASES

USAGE = "usage: scripted-agent <specify|plan|tasks|clarify|analyze|implement> [arguments...]"


def agent_date():
    raw = os.environ.get("SCRIPTED_AGENT_DATE", "").strip()
    if not raw:
        return datetime.datetime.now(datetime.UTC).date().isoformat()
    try:
        return datetime.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise AgentError(f"SCRIPTED_AGENT_DATE={raw!r}: expected YYYY-MM-DD", 2) from None


def exit_on_signal(signum, _frame):
    # Raising SystemExit unwinds through subprocess.run, which kills a running script.
    sys.exit(128 + signum)


def run(argv):
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if not argv or argv[0] not in PHASES:
        given = f"unknown phase {argv[0]!r}" if argv else "missing phase"
        raise AgentError(f"{given}\n{USAGE}", 2)
    phase, args = argv[0], argv[1:]
    if phase == "specify" and not " ".join(args).strip():
        raise AgentError("specify needs a feature description\n" + USAGE, 2)
    if not os.path.isdir(".specify"):
        raise AgentError("no .specify/ here: run specify init first", 2)
    date = agent_date()
    hooks = Hooks.from_env()
    ctx = Context(phase=phase, date=date, clarifications=hooks.clarifications)
    exit_code = hooks.before_phase(ctx)
    if exit_code is not None:
        return exit_code
    PHASES[phase](ctx, args)
    return 0


def main():
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGINT, exit_on_signal)
    # Line buffering keeps progress lines in order with the scripts' stderr in the logs.
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
    try:
        return run(sys.argv[1:])
    except AgentError as error:
        print(f"[scripted-agent] error: {error}", file=sys.stderr)
        return error.exit_code
