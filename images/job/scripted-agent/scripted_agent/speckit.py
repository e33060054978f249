"""Spec Kit's own bash scripts, as `specify init --script sh` installs them.

They create the feature branch and directory, record it in .specify/feature.json and copy the
templates: the agent runs them as a model would, so the feature directory and branch are Spec
Kit's own.
"""

import json
import os
import subprocess

from scripted_agent.errors import AgentError

SCRIPTS_DIR = os.path.join(".specify", "scripts", "bash")


def run_script(name, *args):
    """Run one of Spec Kit's bash scripts in JSON mode and return its parsed output.

    The scripts' own stderr (hints, errors) goes straight to ours, as it would for an agent.
    """
    path = os.path.join(SCRIPTS_DIR, name)
    if not os.path.isfile(path):
        raise AgentError(f"{path} not found: run specify init --script sh first", 2)
    proc = subprocess.run(
        ["bash", path, "--json", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        encoding="utf-8",
        check=False,
    )
    if proc.returncode != 0:
        raise AgentError(f"{name} failed with exit code {proc.returncode}")
    json_lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not json_lines:
        raise AgentError(f"{name} printed no JSON: {proc.stdout.strip()!r}")
    return json.loads(json_lines[-1])
