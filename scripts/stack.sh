#!/usr/bin/env bash
# Starts, stops and reports the embedded stack: Docker engine, Temporal dev server, PostgreSQL.
#   stack.sh up            start what is not running (state survives down/up)
#   stack.sh down [--all]  stop Temporal and PostgreSQL; --all also stops a dockerd these scripts started
#   stack.sh status        one line per component
#   stack.sh serving       quiet: exits 0 when Temporal is SERVING, 1 when not (for test.sh, demo.sh)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEMPORAL_ADDRESS="$TEMPORAL_IP:$TEMPORAL_PORT"
TEMPORAL_PID_FILE="$SPECKIT_RUN_DIR/temporal.pid"
TEMPORAL_LOG_FILE="$SPECKIT_LOG_DIR/temporal.log"
TEMPORAL_DB_FILE="$SPECKIT_STATE_DIR/temporal/temporal.db"
PG_LOG_FILE="$SPECKIT_LOG_DIR/postgres.log"
DATABASE_URL="postgres://speckit@127.0.0.1:$SPECKIT_PG_PORT/speckit"

usage() {
  echo "usage: $0 up | down [--all] | status | serving | docker-stop | docker-restart | postgres-stop" >&2
  exit 2
}

# ---------------------------------------------------------------- Temporal

# The output is captured, not piped to `grep -q`: grep -q exits at the first match and the CLI
# could then die of SIGPIPE, which fails the pipeline under pipefail.
temporal_serving() {
  local health
  [[ -x $TEMPORAL_BIN ]] || return 1
  health=$("$TEMPORAL_BIN" operator cluster health --address "$TEMPORAL_ADDRESS" --command-timeout 3s 2>/dev/null) ||
    return 1
  [[ $health == *SERVING* ]]
}

# wait_for condition: fails fast (with the log) if the server we started has exited.
temporal_started() {
  pid_alive "$TEMPORAL_PID_FILE" || {
    rm -f "$TEMPORAL_PID_FILE"
    die "Temporal exited during startup: see $TEMPORAL_LOG_FILE (last lines: $(tail -n 3 "$TEMPORAL_LOG_FILE" | tr '\n' ' '))"
  }
  temporal_serving
}

temporal_up() {
  if temporal_serving; then
    if pid_alive "$TEMPORAL_PID_FILE"; then
      log "Temporal already running (pid $(cat "$TEMPORAL_PID_FILE")) on $TEMPORAL_ADDRESS"
    else
      log "Temporal already serving on $TEMPORAL_ADDRESS (not started by stack.sh): leaving it alone"
    fi
    return
  fi
  [[ -x $TEMPORAL_BIN ]] || die "temporal CLI not found at $TEMPORAL_BIN: run 'npm run setup'"
  if pid_alive "$TEMPORAL_PID_FILE"; then
    log "Temporal (pid $(cat "$TEMPORAL_PID_FILE")) is running but not serving yet"
  else
    mkdir -p "$(dirname "$TEMPORAL_DB_FILE")"
    log "starting Temporal dev server on $TEMPORAL_ADDRESS, UI :$TEMPORAL_UI_PORT (db: $TEMPORAL_DB_FILE, log: $TEMPORAL_LOG_FILE)"
    # SQLite's write-ahead log: a commit appends to it instead of journalling and syncing each page
    # twice, a fifth less CPU for Temporal under ten runs; it survives Temporal being killed, and
    # an OS crash loses at most the last commits (this is the dev stack; compose uses PostgreSQL).
    start_background "$TEMPORAL_PID_FILE" "$TEMPORAL_LOG_FILE" \
      "$TEMPORAL_BIN" server start-dev \
      --ip "$TEMPORAL_IP" --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" --http-port "$TEMPORAL_HTTP_PORT" \
      --db-filename "$TEMPORAL_DB_FILE" --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
      --log-level warn \
      --search-attribute SpecKitRepo=Keyword \
      --search-attribute SpecKitStatus=Keyword \
      --search-attribute SpecKitPhase=Keyword
  fi
  wait_for "Temporal to be SERVING on $TEMPORAL_ADDRESS" 60 temporal_started ||
    die "Temporal did not become SERVING within 60s: see $TEMPORAL_LOG_FILE"
  log "Temporal running (pid $(cat "$TEMPORAL_PID_FILE")) on $TEMPORAL_ADDRESS"
}

temporal_down() {
  if [[ ! -f $TEMPORAL_PID_FILE ]] && temporal_serving; then
    log "Temporal on $TEMPORAL_ADDRESS was not started by stack.sh: leaving it running"
    return
  fi
  stop_background Temporal "$TEMPORAL_PID_FILE"
}

temporal_status() {
  local state
  if temporal_serving; then
    state="SERVING on $TEMPORAL_ADDRESS, UI http://$TEMPORAL_IP:$TEMPORAL_UI_PORT"
  elif [[ ! -x $TEMPORAL_BIN ]]; then
    state="CLI not installed at $TEMPORAL_BIN (run 'npm run setup')"
  else
    state="not serving on $TEMPORAL_ADDRESS"
  fi
  if pid_alive "$TEMPORAL_PID_FILE"; then
    state+=" (pid $(cat "$TEMPORAL_PID_FILE"))"
  elif temporal_serving; then
    state+=" (not started by stack.sh)"
  fi
  printf '%-10s %s\n' temporal "$state"
}

# ---------------------------------------------------------------- PostgreSQL

PG_BIN=$(pg_bin_dir)

need_pg() { [[ -n $PG_BIN ]] || die "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: run 'npm run setup'"; }

# initdb/postgres refuse to run as root: run them as the Debian `postgres` user then.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

pg_ctl_() { as_pg "$PG_BIN/pg_ctl" -D "$SPECKIT_PG_DATA" "$@"; }
pg_running() { [[ -n $PG_BIN ]] && pg_ctl_ status >/dev/null 2>&1; }
pg_answering() { [[ -n $PG_BIN ]] && "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SPECKIT_PG_PORT"; }
pg_pid() { head -n 1 "$SPECKIT_PG_DATA/postmaster.pid" 2>/dev/null || echo "?"; }
psql_() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SPECKIT_PG_PORT" -U speckit "$@"; }

# As root, PostgreSQL runs as the `postgres` user, which must be able to reach the state dir.
pg_check_traverse() {
  [[ $EUID -eq 0 ]] || return 0
  runuser -u postgres -- test -x "$SPECKIT_STATE_DIR" ||
    die "the postgres user cannot reach $SPECKIT_STATE_DIR: set SPECKIT_STATE_DIR to a directory outside a private home (root's default is /var/lib/speckit-automation)"
}

pg_prepare_dirs() {
  mkdir -p "$SPECKIT_STATE_DIR" "$SPECKIT_LOG_DIR"
  pg_check_traverse
  touch "$PG_LOG_FILE"
  if [[ $EUID -eq 0 ]]; then
    install -d -o postgres -g postgres -m 0700 "$SPECKIT_STATE_DIR/postgres" "$SPECKIT_PG_SOCKET_DIR"
    chown postgres:postgres "$PG_LOG_FILE"
  else
    install -d -m 0700 "$SPECKIT_STATE_DIR/postgres" "$SPECKIT_PG_SOCKET_DIR"
  fi
}

pg_up() {
  need_pg
  if pg_running && pg_answering; then
    log "PostgreSQL already running (pid $(pg_pid)) on 127.0.0.1:$SPECKIT_PG_PORT"
  elif pg_running; then
    log "PostgreSQL (pid $(pg_pid)) is running but not accepting connections yet"
  elif pg_answering; then
    log "PostgreSQL already answering on 127.0.0.1:$SPECKIT_PG_PORT (not the cluster in $SPECKIT_PG_DATA): leaving it alone"
  else
    pg_prepare_dirs
    if [[ ! -s $SPECKIT_PG_DATA/PG_VERSION ]]; then
      log "initdb $SPECKIT_PG_DATA (superuser speckit, trust auth for local and loopback connections)"
      as_pg "$PG_BIN/initdb" -D "$SPECKIT_PG_DATA" -U speckit --auth=trust --encoding=UTF8 --no-locale \
        >>"$PG_LOG_FILE" 2>&1 || die "initdb failed: see $PG_LOG_FILE"
    fi
    log "starting PostgreSQL on 127.0.0.1:$SPECKIT_PG_PORT (data: $SPECKIT_PG_DATA, log: $PG_LOG_FILE)"
    pg_ctl_ start -w -t 60 -l "$PG_LOG_FILE" \
      -o "-c listen_addresses=127.0.0.1 -p $SPECKIT_PG_PORT -k '$SPECKIT_PG_SOCKET_DIR'" >/dev/null ||
      die "PostgreSQL did not start: see $PG_LOG_FILE (last lines: $(tail -n 3 "$PG_LOG_FILE" | tr '\n' ' '))"
  fi
  pg_answering || wait_for "PostgreSQL to accept connections on 127.0.0.1:$SPECKIT_PG_PORT" 60 pg_answering ||
    die "PostgreSQL does not accept connections on 127.0.0.1:$SPECKIT_PG_PORT: see $PG_LOG_FILE"
  if [[ "$(psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'speckit'")" != 1 ]]; then
    log "creating database speckit"
    psql_ -d postgres -c 'CREATE DATABASE speckit' || die "could not create database speckit on 127.0.0.1:$SPECKIT_PG_PORT as role speckit"
  fi
  log "PostgreSQL running (pid $(pg_pid)), database speckit ready"
}

pg_down() {
  if pg_running; then
    log "stopping PostgreSQL (pid $(pg_pid))"
    pg_ctl_ stop -m fast -w >/dev/null || die "pg_ctl stop failed: see $PG_LOG_FILE"
  elif pg_answering; then
    log "PostgreSQL on 127.0.0.1:$SPECKIT_PG_PORT was not started by stack.sh: leaving it running"
  else
    log "PostgreSQL: not running"
  fi
}

pg_status() {
  local state
  if [[ -z $PG_BIN ]]; then
    state="server binaries not installed (run 'npm run setup')"
  elif pg_running && pg_answering; then
    state="accepting connections on 127.0.0.1:$SPECKIT_PG_PORT (pid $(pg_pid)), $DATABASE_URL"
  elif pg_running; then
    state="running (pid $(pg_pid)) but not accepting connections on 127.0.0.1:$SPECKIT_PG_PORT"
  elif pg_answering; then
    state="accepting connections on 127.0.0.1:$SPECKIT_PG_PORT (not started by stack.sh)"
  else
    state="stopped (data: $SPECKIT_PG_DATA)"
  fi
  printf '%-10s %s\n' postgres "$state"
}

# ---------------------------------------------------------------- Docker

docker_down() {
  if [[ -f $DOCKERD_PID_FILE ]]; then
    stop_background dockerd "$DOCKERD_PID_FILE"
  else
    log "dockerd was not started by these scripts: leaving it running"
  fi
}

# For the fault tests: only a dockerd these scripts started can be stopped or restarted here.
# It runs with --live-restore, so job containers keep running while it is down.
docker_owned() {
  pid_alive "$DOCKERD_PID_FILE" ||
    die "dockerd was not started by these scripts (no live pid in $DOCKERD_PID_FILE): stop it yourself, then run '$0 up'"
}

cmd_docker_stop() {
  docker_owned
  docker_down
}

cmd_docker_restart() {
  docker_owned
  docker_down
  ensure_docker_daemon
}

docker_status() {
  local state
  if docker_answers; then
    state="answering on ${DOCKER_HOST:-unix:///var/run/docker.sock}"
  else
    state="not answering on ${DOCKER_HOST:-unix:///var/run/docker.sock}"
  fi
  pid_alive "$DOCKERD_PID_FILE" && state+=" (dockerd pid $(cat "$DOCKERD_PID_FILE"), started by these scripts)"
  printf '%-10s %s\n' docker "$state"
  if ! docker_answers; then
    state="unknown (docker not answering)"
  elif docker image inspect "$SPECKIT_JOB_IMAGE" >/dev/null 2>&1; then
    state="$SPECKIT_JOB_IMAGE present (inputs $(docker image inspect --format '{{ index .Config.Labels "speckit.inputs-hash" }}' "$SPECKIT_JOB_IMAGE"))"
  else
    state="$SPECKIT_JOB_IMAGE missing (run 'npm run setup')"
  fi
  printf '%-10s %s\n' job-image "$state"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  ensure_docker_daemon
  temporal_up
  pg_up
  log "stack is up"
  printf '  %-18s %s\n' "Temporal:" "$TEMPORAL_ADDRESS" \
    "Temporal UI:" "http://$TEMPORAL_IP:$TEMPORAL_UI_PORT" \
    "TEMPORAL_HTTP_URL:" "http://$TEMPORAL_IP:$TEMPORAL_HTTP_PORT" \
    "DATABASE_URL:" "$DATABASE_URL"
}

cmd_down() {
  local all=0
  case "${1:-}" in
    "") ;;
    --all) all=1 ;;
    *) usage ;;
  esac
  temporal_down
  pg_down
  if ((all)); then docker_down; fi
  log "stack is down (state kept in $SPECKIT_STATE_DIR)"
}

cmd_status() {
  docker_status
  temporal_status
  pg_status
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down "${@:2}" ;;
  status) cmd_status ;;
  serving) temporal_serving ;;
  docker-stop) cmd_docker_stop ;;
  docker-restart) cmd_docker_restart ;;
  # For the fault tests: PostgreSQL down for a while (`up` starts it again).
  postgres-stop) pg_down ;;
  *) usage ;;
esac
