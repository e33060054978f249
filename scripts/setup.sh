#!/usr/bin/env bash
# Installs everything the embedded stack needs (see scripts/lib.sh for the settings).
# Idempotent: installs only what is missing and reuses the caches in $SPECKIT_CACHE_DIR.
# `npm ci` is separate.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_debian_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [[ -n $(pg_bin_dir) ]] || missing+=(postgresql)
  command -v git >/dev/null 2>&1 || missing+=(git)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck) # npm test lints scripts/ with it
  command -v chromium >/dev/null 2>&1 || missing+=(chromium) # npm test drives the Temporal UI with it (playwright-core)
  # Compose v1 (1.29, Python): Debian's own package; npm run test:compose brings docker-compose.yml up with it.
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
  if ((${#missing[@]})); then
    apt_install "${missing[@]}"
  else
    log "Debian packages present (docker.io, debootstrap, postgresql $(basename "$(dirname "$(pg_bin_dir)")"), git, jq, curl, shellcheck, chromium, docker-compose, python3-venv)"
  fi
}

# The module version the binary was built from. A `go install` build reports
# "0.0.0-DEV" in `temporal --version`, so read Go's embedded build info as well.
temporal_cli_version() {
  local v
  v=$("$TEMPORAL_BIN" --version 2>/dev/null | awk '{print $3}') || true
  if [[ -n $v && $v != 0.0.0-DEV ]]; then
    echo "v${v#v}"
  else
    grep -a -o -m 1 $'mod\tgithub.com/temporalio/cli\tv[^\t]*' "$TEMPORAL_BIN" | cut -f 3 || true
  fi
}

temporal_cli_ok() { [[ -x $TEMPORAL_BIN && "$(temporal_cli_version)" == "$TEMPORAL_CLI_VERSION" ]]; }

install_temporal_cli() {
  if temporal_cli_ok; then
    log "Temporal CLI $TEMPORAL_CLI_VERSION present at $TEMPORAL_BIN"
    return
  fi
  mkdir -p "$(dirname "$TEMPORAL_BIN")" "$SPECKIT_LOG_DIR"
  # One build at a time: a concurrent setup waits here, then finds the binary built.
  exec {lock}>"$(dirname "$TEMPORAL_BIN")/.temporal-build.lock"
  log "waiting for the Temporal CLI build lock"
  flock "$lock"
  if ! temporal_cli_ok; then
    command -v go >/dev/null 2>&1 ||
      die "Go not found on PATH: the Temporal CLI is built from source with 'go install'; install Go >= 1.21 (it fetches the newer toolchain $TEMPORAL_CLI_VERSION needs through the Go module proxy) and re-run"
    local build_log="$SPECKIT_LOG_DIR/temporal-go-install.log"
    log "building Temporal CLI $TEMPORAL_CLI_VERSION with go install (several minutes; log: $build_log)"
    GOBIN="$(dirname "$TEMPORAL_BIN")" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" \
      >"$build_log" 2>&1 ||
      die "go install of the Temporal CLI failed: see $build_log (check Go proxy access: go env GOPROXY)"
    temporal_cli_ok ||
      die "$TEMPORAL_BIN reports version '$(temporal_cli_version)', expected $TEMPORAL_CLI_VERSION"
    log "Temporal CLI $TEMPORAL_CLI_VERSION built at $TEMPORAL_BIN"
  else
    log "Temporal CLI $TEMPORAL_CLI_VERSION present at $TEMPORAL_BIN (built by a concurrent setup)"
  fi
  flock -u "$lock"
}

moto_version() { "$MOTO_VENV/bin/python" -c 'import importlib.metadata as m, moto.server; print(m.version("moto"))' 2>/dev/null || true; }

moto_ok() { [[ -x $MOTO_VENV/bin/moto_server && "$(moto_version)" == "$SPECKIT_MOTO_VERSION" ]]; }

# The S3-compatible server the artifact archive's tests run (test/support/s3-server.ts), in its
# own virtualenv so it never meets the host's or the job image's Python packages.
install_moto() {
  venv_install "$MOTO_VENV" "moto[server]==$SPECKIT_MOTO_VERSION" moto_ok
}

main() {
  log "setup: state in $SPECKIT_STATE_DIR, cache in $SPECKIT_CACHE_DIR"
  mkdir -p "$SPECKIT_STATE_DIR" "$SPECKIT_RUN_DIR" "$SPECKIT_LOG_DIR" "$SPECKIT_CACHE_DIR"
  install_debian_packages
  ensure_docker_daemon
  install_temporal_cli
  install_moto
  "$SPECKIT_ROOT/scripts/ruff.sh" install # the scripted agent's linter, run by npm test
  "$SPECKIT_ROOT/scripts/build-job-image.sh"
  log "setup complete: start the stack with 'npm run stack:up' (scripts/stack.sh up)"
}

main "$@"
