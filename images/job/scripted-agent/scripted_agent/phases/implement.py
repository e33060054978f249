"""implement: builds the Setup phase's files and checks off every task."""

import os
import re

from scripted_agent.context import say
from scripted_agent.files import read, rel, write
from scripted_agent.markdown import section_text
from scripted_agent.spec import TASK_LINE
from scripted_agent.speckit import run_script

COMMENT_PREFIX = {
    ".py": "#",
    ".toml": "#",
    ".sh": "#",
    ".yml": "#",
    ".yaml": "#",
    ".ts": "//",
    ".js": "//",
    ".go": "//",
}


def task_file(description):
    """The file (or directory, with a trailing /) a task names after "in", if any."""
    named = [word.rstrip(".,;:") for word in re.findall(r"\bin `?([\w./-]+)`?", description)]
    paths = [p for p in named if p.endswith("/") or re.search(r"\.[A-Za-z]\w*$", p)]
    if not paths:
        return None
    path = os.path.normpath(paths[-1])
    if os.path.isabs(path) or path.split(os.sep)[0] in ("..", ".git", ".specify"):
        return None
    return path + "/" if paths[-1].endswith("/") else path


def create_setup_file(ctx, task_id, description):
    path = task_file(description)
    if path is None:
        return
    if os.path.exists(path):
        say(ctx, f"{task_id}: kept existing {path}")
        return
    if path.endswith("/"):
        # git does not track empty directories
        path = os.path.join(path, ".gitkeep")
        content = ""
    elif path.endswith(".md"):
        content = f"# {description}\n"
    elif os.path.splitext(path)[1] in COMMENT_PREFIX:
        content = f"{COMMENT_PREFIX[os.path.splitext(path)[1]]} {task_id}: {description}\n"
    else:
        content = ""
    write(path, content)
    say(ctx, f"{task_id}: created {path}")


def implement_phase(ctx, _args):
    checked = run_script("check-prerequisites.sh", "--require-tasks", "--include-tasks")
    path = os.path.join(checked["FEATURE_DIR"], "tasks.md")
    text = read(path)
    # Only the Setup phase is built for real; the rest is beyond what a script can write.
    for _, task_id, description in TASK_LINE.findall(section_text(text, "## Phase 1")):
        create_setup_file(ctx, task_id, re.sub(r"^(\[P\] )?(\[US\d+\] )?", "", description))
    done, count = re.subn(r"^- \[ \] (T\d+ )", r"- [x] \1", text, flags=re.M)
    write(path, done)
    say(ctx, f"marked {count} task(s) done in {rel(path)}")
