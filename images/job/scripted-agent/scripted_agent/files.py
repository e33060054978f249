"""Reading and writing the repository's files, named relative to its root."""

import os


def rel(path):
    # Documents and progress lines name repository-relative paths so that runs in
    # different workspaces produce identical output.
    return os.path.relpath(path, os.getcwd())


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
