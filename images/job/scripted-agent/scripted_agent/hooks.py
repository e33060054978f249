"""The test hooks: variables that make a phase slow, fail, do nothing, leave clarification
markers or print variables, so tests and the demo can drive every path of a run.

A worker sets them from a run's `agent.options` (src/agents/scripted.ts) only when it was started
with SPECKIT_TEST_HOOKS=1. The limits below are the run input's too (SCRIPTED_HOOK_LIMITS in
src/run-input.ts): test/unit/scripted-agent.test.ts checks that both say the same, so a value the
worker accepts is never one the agent refuses.
"""

import os
import sys
import time
from dataclasses import dataclass

from scripted_agent.context import say
from scripted_agent.errors import AgentError
from scripted_agent.spec import OPEN_QUESTIONS

# Each hook by its name in the run input's agent.options, with the variable that carries it.
ENV = {
    "delaySeconds": "SCRIPTED_AGENT_DELAY_SECONDS",
    "failPhase": "SCRIPTED_AGENT_FAIL_PHASE",
    "failExitCode": "SCRIPTED_AGENT_FAIL_EXIT_CODE",
    "clarifications": "SCRIPTED_AGENT_CLARIFICATIONS",
    "noop": "SCRIPTED_AGENT_NOOP",
    "echoEnv": "SCRIPTED_AGENT_ECHO_ENV",
}

# The numeric hooks' ranges, bounds included.
LIMITS = {
    # An hour is far beyond any test's need, and well below a phase's timeout.
    "delaySeconds": {"min": 0, "max": 3600},
    # Exit code 0 would be no failure at all (that is what noop is for).
    "failExitCode": {"min": 1, "max": 255},
    # specify has this many questions to leave open.
    "clarifications": {"min": 0, "max": len(OPEN_QUESTIONS)},
}


def env_number(name, default, convert, low, high):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = convert(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise AgentError(f"{name}={raw!r}: expected a number from {low} to {high}", 2)
    return value


def env_flag(name):
    raw = os.environ.get(name, "").strip().lower()
    if raw in ("", "0", "false"):
        return False
    if raw in ("1", "true"):
        return True
    raise AgentError(f"{name}={raw!r}: expected 1, true, 0 or false", 2)


def hook_number(option, default, convert):
    limits = LIMITS[option]
    return env_number(ENV[option], default, convert, limits["min"], limits["max"])


@dataclass(frozen=True)
class Hooks:
    clarifications: int
    delay: float
    fail_phase: str
    fail_exit_code: int
    noop: bool
    echo_env: tuple

    @classmethod
    def from_env(cls):
        """The hooks the environment sets; bad values are usage errors (exit code 2)."""
        return cls(
            clarifications=hook_number("clarifications", 0, int),
            delay=hook_number("delaySeconds", 0.0, float),
            fail_exit_code=hook_number("failExitCode", 1, int),
            noop=env_flag(ENV["noop"]),
            fail_phase=os.environ.get(ENV["failPhase"], "").strip(),
            echo_env=tuple(
                filter(None, (n.strip() for n in os.environ.get(ENV["echoEnv"], "").split(",")))
            ),
        )

    def before_phase(self, ctx):
        """Echo, delay, fail, noop, in that order: an exit code ends the phase before its work."""
        for name in self.echo_env:
            if name in os.environ:
                print(f"{name}={os.environ[name]}")
            else:
                say(ctx, f"{name} is not set")
        if self.delay:
            say(ctx, f"waiting {self.delay:g}s (SCRIPTED_AGENT_DELAY_SECONDS)")
            time.sleep(self.delay)
        if self.fail_phase == ctx.phase:
            print(
                f"[scripted-agent] {ctx.phase}: failing on purpose (SCRIPTED_AGENT_FAIL_PHASE="
                f"{ctx.phase}), exit code {self.fail_exit_code}",
                file=sys.stderr,
            )
            return self.fail_exit_code
        if self.noop:
            say(ctx, "nothing to do (SCRIPTED_AGENT_NOOP)")
            return 0
        return None
