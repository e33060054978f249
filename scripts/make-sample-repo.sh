#!/usr/bin/env bash
# Creates a small real project and a bare remote for it: make-sample-repo.sh <dir> -> <dir>/sample.git
# The remote is world-writable because job containers push to it as their own non-root user.
set -euo pipefail
dir=${1:?usage: make-sample-repo.sh <dir>}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/src/todo" "$work/tests"
cat > "$work/README.md" <<'MD'
# todo

A tiny command-line to-do list, kept in a JSON file.

    python -m todo add "water the plants"
    python -m todo list
MD
cat > "$work/src/todo/__init__.py" <<'PY'
"""A tiny to-do list stored as JSON."""
import json
from pathlib import Path


def load(path: Path) -> list[dict]:
    return json.loads(path.read_text()) if path.exists() else []


def add(path: Path, title: str) -> dict:
    items = load(path)
    item = {"id": len(items) + 1, "title": title, "done": False}
    path.write_text(json.dumps(items + [item], indent=2))
    return item
PY
cat > "$work/tests/test_todo.py" <<'PY'
from todo import add, load


def test_add_appends(tmp_path):
    store = tmp_path / "todo.json"
    add(store, "water the plants")
    assert [i["title"] for i in load(store)] == ["water the plants"]
PY

git -C "$work" init -q -b main
git -C "$work" add -A
git -C "$work" -c user.name=sample -c user.email=sample@localhost commit -q -m "Initial to-do CLI"
rm -rf "$dir/sample.git"
mkdir -p "$dir"
git clone -q --bare "$work" "$dir/sample.git"
git -C "$dir/sample.git" config core.sharedRepository 0777
chmod -R a+rwX "$dir/sample.git"
echo "$dir/sample.git"
