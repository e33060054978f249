# shellcheck shell=bash
# Shared settings and helpers for the embedded-stack scripts (setup.sh, stack.sh,
# build-job-image.sh). Source it; do not execute it.
#
# Every setting below can be overridden from the environment.

set -euo pipefail

# shellcheck disable=SC2034 # used by the scripts that source this file
SPECKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Where things live.
# Server state, logs, pid files and workspaces. Root's default stays out of /root (mode 0700),
# which neither the postgres user nor the job containers' non-root user can traverse.
if [[ $EUID -eq 0 ]]; then
  : "${SPECKIT_STATE_DIR:=/var/lib/speckit-automation}"
else
  : "${SPECKIT_STATE_DIR:=$HOME/.local/share/speckit-automation}"
fi
: "${SPECKIT_CACHE_DIR:=$HOME/.cache/speckit-automation}"       # built tools, rootfs tarballs, wheels, npm tarballs

# Temporal dev server (built from source with `go install`).
: "${TEMPORAL_CLI_VERSION:=v1.5.1}"
: "${TEMPORAL_IP:=127.0.0.1}"
: "${TEMPORAL_PORT:=7233}"
: "${TEMPORAL_UI_PORT:=8233}"
# Temporal's HTTP API, where the CLI starts (and waits for) runs when TEMPORAL_HTTP_URL names it (src/cli/temporal-http.ts).
: "${TEMPORAL_HTTP_PORT:=7243}"

# Project-local PostgreSQL cluster.
: "${SPECKIT_PG_PORT:=54329}"

# Job container image. Every version it installs is pinned here: build-job-image.sh checks each
# one in the built image, records them in its `speckit.versions` label and rebuilds the image
# when one changes.
: "${SPECKIT_JOB_IMAGE:=speckit-job:local}"
: "${SPECKIT_SPECIFY_VERSION:=1.0.13}"  # specify-cli, PyPI wheels
: "${SPECKIT_NODE_VERSION:=22.23.3}"    # Node.js, official build (npm package node-linux-<arch>)
: "${SPECKIT_NPM_VERSION:=10.9.9}"      # npm (tarball): the image's, and the one that installs the agent CLIs
# The agent CLIs (npm packages, installed with their native platform packages).
: "${SPECKIT_CODEX_VERSION:=0.169.0}"   # @openai/codex
: "${SPECKIT_CLAUDE_VERSION:=2.1.328}"  # @anthropic-ai/claude-code
: "${SPECKIT_GEMINI_VERSION:=0.61.0}"   # @google/gemini-cli
: "${SPECKIT_COPILOT_VERSION:=1.0.102}" # @github/copilot
# Debian bookworm packages, installed by debootstrap (upstream versions: apt cannot pin a
# version at debootstrap time, so the build fails when the mirror ships another one).
: "${SPECKIT_GIT_VERSION:=2.39.5}"
: "${SPECKIT_GH_VERSION:=2.23.0}"
: "${SPECKIT_PYTHON_VERSION:=3.11.2}"

# moto's standalone server (PyPI), an S3-compatible store for the artifact archive's tests.
: "${SPECKIT_MOTO_VERSION:=5.2.5}"

export SPECKIT_STATE_DIR SPECKIT_CACHE_DIR TEMPORAL_CLI_VERSION TEMPORAL_IP TEMPORAL_PORT \
  TEMPORAL_UI_PORT TEMPORAL_HTTP_PORT SPECKIT_PG_PORT SPECKIT_JOB_IMAGE SPECKIT_SPECIFY_VERSION SPECKIT_NODE_VERSION \
  SPECKIT_NPM_VERSION SPECKIT_CODEX_VERSION SPECKIT_CLAUDE_VERSION SPECKIT_GEMINI_VERSION \
  SPECKIT_COPILOT_VERSION SPECKIT_GIT_VERSION SPECKIT_GH_VERSION SPECKIT_PYTHON_VERSION \
  SPECKIT_MOTO_VERSION

# Derived paths (not meant to be overridden), used by the scripts that source this file.
# shellcheck disable=SC2034
{
  TEMPORAL_BIN="$SPECKIT_CACHE_DIR/bin/temporal"
  MOTO_VENV="$SPECKIT_CACHE_DIR/venvs/moto" # test/support/s3-server.ts starts its bin/moto_server
  SPECKIT_RUN_DIR="$SPECKIT_STATE_DIR/run"
  SPECKIT_LOG_DIR="$SPECKIT_STATE_DIR/logs"
  SPECKIT_PG_DATA="$SPECKIT_STATE_DIR/postgres/data"
  SPECKIT_PG_SOCKET_DIR="$SPECKIT_STATE_DIR/postgres/run"
  DOCKERD_PID_FILE="$SPECKIT_RUN_DIR/dockerd.pid"
  DOCKERD_LOG_FILE="$SPECKIT_LOG_DIR/dockerd.log"
}

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "'$*' needs root: re-run as root or install sudo"
  fi
}

is_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }

# apt_install PKG...: installs the packages that are not installed yet
# (runs `apt-get update` once per script run).
_SPECKIT_APT_UPDATED=0
apt_install() {
  local pkg missing=()
  for pkg in "$@"; do is_installed "$pkg" || missing+=("$pkg"); done
  ((${#missing[@]})) || return 0
  if ((!_SPECKIT_APT_UPDATED)); then
    log "apt-get update"
    as_root apt-get update -qq || die "apt-get update failed: check the Debian mirror in /etc/apt/sources.list(.d)"
    _SPECKIT_APT_UPDATED=1
  fi
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "apt-get install ${missing[*]} failed (see the apt output above)"
}

# wait_for DESCRIPTION TIMEOUT_SECONDS CMD...: polls CMD every second (its stdout is discarded,
# so CMD should be quiet on stderr); returns 1 on timeout.
wait_for() {
  local desc=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  log "waiting for $desc (up to ${timeout}s)"
  until "$@" >/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

# pid_alive PIDFILE: true when the pid file names a running process.
pid_alive() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# start_background PIDFILE LOGFILE CMD...: starts CMD detached from this shell
# (own session, survives the script), appends its output to LOGFILE.
start_background() {
  local pidfile=$1 logfile=$2
  shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  setsid nohup "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# stop_background NAME PIDFILE: SIGTERM, wait up to 30s, then SIGKILL; removes the pid file.
stop_background() {
  local name=$1 pidfile=$2 pid
  if ! pid_alive "$pidfile"; then
    log "$name: not running (no live pid in $pidfile)"
    rm -f "$pidfile"
    return 0
  fi
  pid=$(cat "$pidfile")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid"
  if ! wait_for "$name to exit" 30 bash -c "! kill -0 $pid 2>/dev/null"; then
    warn "$name (pid $pid) ignored SIGTERM for 30s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# Newest PostgreSQL server bin dir (/usr/lib/postgresql/<ver>/bin), empty if none.
pg_bin_dir() {
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]]; then echo "$dir"; fi
}

docker_answers() { docker info >/dev/null 2>&1; }

# ensure_docker_daemon: use a daemon that answers (DOCKER_HOST or /var/run/docker.sock);
# otherwise start `dockerd --live-restore` in the background (as root) and wait for it.
# A unix:// DOCKER_HOST that does not answer gets a dockerd listening on that socket;
# SPECKIT_DOCKERD_ARGS adds extra dockerd flags (e.g. a separate --data-root, --exec-root and
# --pidfile for a second daemon). Never give a second daemon `--bridge none`: at startup it
# deletes the host's docker0 interface, breaking the other daemon's default network.
ensure_docker_daemon() {
  command -v docker >/dev/null 2>&1 || apt_install docker.io
  local endpoint=${DOCKER_HOST:-unix:///var/run/docker.sock}
  if docker_answers; then
    log "docker daemon answers on $endpoint"
    return 0
  fi
  [[ $endpoint == unix://* ]] ||
    die "DOCKER_HOST=$endpoint does not answer: start that daemon, or unset DOCKER_HOST to use a local one"
  [[ $EUID -eq 0 ]] ||
    die "no docker daemon answers on $endpoint: start it (e.g. 'sudo systemctl start docker') or run this script as root so it can start 'dockerd --live-restore'"
  command -v dockerd >/dev/null 2>&1 || apt_install docker.io
  if pid_alive "$DOCKERD_PID_FILE"; then
    log "dockerd started earlier (pid $(cat "$DOCKERD_PID_FILE")) is not answering yet"
  else
    log "starting dockerd --live-restore on $endpoint (log: $DOCKERD_LOG_FILE)"
    # shellcheck disable=SC2086 # SPECKIT_DOCKERD_ARGS is a list of flags
    start_background "$DOCKERD_PID_FILE" "$DOCKERD_LOG_FILE" \
      dockerd --live-restore -H "$endpoint" ${SPECKIT_DOCKERD_ARGS:-}
  fi
  wait_for "docker daemon on $endpoint" 60 docker_answers ||
    die "dockerd did not answer within 60s: see $DOCKERD_LOG_FILE (last lines: $(tail -n 3 "$DOCKERD_LOG_FILE" 2>/dev/null | tr '\n' ' '))"
  log "docker daemon answers on $endpoint (dockerd pid $(cat "$DOCKERD_PID_FILE"))"
}

# Installs a pinned PyPI package into its own virtualenv, once even when setups run concurrently
# (the second waits for the lock, then finds it installed). `check` says whether it is in place.
# Usage: venv_install <venv> <requirement> <check command>
venv_install() {
  local venv=$1 requirement=$2 check=$3 lock
  if "$check"; then
    log "$requirement present in $venv"
    return
  fi
  mkdir -p "$(dirname "$venv")"
  exec {lock}>"$venv.install.lock"
  flock "$lock"
  if ! "$check"; then
    log "installing $requirement from PyPI into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" ||
      die "python3 -m venv $venv failed: install python3-venv (or a python3 with venv and ensurepip) and re-run"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$requirement" ||
      die "pip install $requirement failed (see pip's output above): check PyPI access"
    "$check" || die "$venv does not hold $requirement after installing it"
  fi
  flock -u "$lock"
}
