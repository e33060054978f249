"""What every phase knows about its run, and how it reports progress."""

from dataclasses import dataclass


@dataclass
class Context:
    phase: str
    date: str
    clarifications: int


def say(ctx, message):
    print(f"[scripted-agent] {ctx.phase}: {message}")
