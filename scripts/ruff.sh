#!/usr/bin/env bash
# ruff (PyPI), the linter and formatter of the scripted agent's Python package
# (images/job/scripted-agent, configured by its pyproject.toml), pinned and kept in its own
# virtualenv under $SPECKIT_CACHE_DIR so it never meets the host's Python packages.
#
# Usage: ruff.sh install   install the pinned ruff when missing (scripts/setup.sh)
#        ruff.sh check     lint and check the formatting of the package (scripts/test.sh)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

: "${SPECKIT_RUFF_VERSION:=0.17.5}"
RUFF_VENV="$SPECKIT_CACHE_DIR/venvs/ruff"
PACKAGE_DIR="$SPECKIT_ROOT/images/job/scripted-agent"

ruff_version() { "$RUFF_VENV/bin/ruff" --version 2>/dev/null | awk '{print $2}' || true; }

ruff_ok() { [[ -x $RUFF_VENV/bin/ruff && "$(ruff_version)" == "$SPECKIT_RUFF_VERSION" ]]; }

install_ruff() {
  venv_install "$RUFF_VENV" "ruff==$SPECKIT_RUFF_VERSION" ruff_ok
}

check() {
  ruff_ok || die "ruff $SPECKIT_RUFF_VERSION is not installed: run scripts/setup.sh (or $0 install)"
  cd "$PACKAGE_DIR"
  # --no-cache: no .ruff_cache in the package, whose files go into the job image.
  "$RUFF_VENV/bin/ruff" check --no-cache .
  "$RUFF_VENV/bin/ruff" format --no-cache --check .
}

case "${1:-}" in
  install) install_ruff ;;
  check) check ;;
  *) die "usage: $0 install|check" ;;
esac
