#!/usr/bin/env bash
# `npm run test:compose`: the Docker Compose deployment, end to end, on this machine.
#   1. validates the production docker-compose.yml (with .env.example) with `docker-compose config`
#      and checks that its job image build arguments are the pins of scripts/lib.sh;
#   2. builds, offline, the real worker image (build-worker-image.sh) and the stand-ins for the
#      third-party images that cannot be pulled here (test/compose/build-stand-ins.sh);
#   3. brings the stack up under its own project name and host ports, production file plus
#      test/compose/docker-compose.override.yml, and waits for the worker to be healthy;
#   4. starts one scripted run with the product's CLI from the host (`run --wait --json`) on a
#      local bare remote, and checks: the run succeeded, the branch is on the remote at the run's
#      commit, the run's records in the compose PostgreSQL, its artifacts on the named volume,
#      every job container mounted its own run directory of the volume and nothing else (no
#      socket, no other run), and no job container is left;
#   5. takes the stack down with its volumes, whatever happened.
# Traffic stays on this host: loopback and the stack's own containers.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SPECKIT_ROOT"

PROJECT=speckit-compose-test
# Host ports of this stack: none of the embedded stack's (7233, 7243, 8233, 54329).
: "${SPECKIT_COMPOSE_TEST_TEMPORAL_PORT:=17233}"
: "${SPECKIT_COMPOSE_TEST_HTTP_PORT:=17243}"
: "${SPECKIT_COMPOSE_TEST_UI_PORT:=18233}"
: "${SPECKIT_COMPOSE_TEST_PG_PORT:=15432}"
VOLUME=speckit-compose-test_workspaces
WORKSPACE_ROOT=/var/lib/speckit/workspaces # the worker's, in images/worker/Dockerfile
DEADLINE_SECONDS=300

TMP=""
WATCHER=""
# In a clean environment: compose prefers the shell's variables to the env file's, and lib.sh
# exports the embedded stack's (TEMPORAL_PORT=7233, ...).
compose() {
  env -i PATH="$PATH" HOME="$HOME" ${DOCKER_HOST:+DOCKER_HOST="$DOCKER_HOST"} \
    docker-compose --project-name "$PROJECT" --file docker-compose.yml \
    --file test/compose/docker-compose.override.yml --env-file "$TMP/compose.env" "$@"
}

teardown() {
  local status=$?
  [[ -z $WATCHER ]] || kill "$WATCHER" 2>/dev/null || true
  if [[ -n $TMP && -f $TMP/compose.env ]]; then
    if ((status != 0)); then
      log "test failed: the stack's state and last log lines"
      compose ps >&2 || true
      compose logs --no-color --tail 40 >&2 || true
    fi
    log "taking the stack down (containers, network, volumes)"
    compose down --volumes --remove-orphans --timeout 20 >/dev/null 2>&1 || warn "docker-compose down failed"
    if [[ -n "$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ]] ||
      docker volume inspect "$VOLUME" >/dev/null 2>&1; then
      printf 'FAILED: containers or the volume of project %s are left after down\n' "$PROJECT" >&2
      status=1
    fi
  fi
  [[ -z $TMP ]] || rm -rf "$TMP"
  exit "$status"
}

fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}

# 1. The production file as an operator would start it.
validate_production_file() {
  log "docker-compose config: docker-compose.yml with .env.example"
  local config pin arg var want have
  config=$(env -i PATH="$PATH" SPECKIT_ENV_FILE=.env.example \
    docker-compose --file docker-compose.yml --env-file .env.example config) ||
    fail "docker-compose.yml with .env.example does not validate"
  for pin in SPECIFY_VERSION=SPECKIT_SPECIFY_VERSION NODE_VERSION=SPECKIT_NODE_VERSION NPM_VERSION=SPECKIT_NPM_VERSION; do
    arg=${pin%%=*} var=${pin#*=}
    want=${!var}
    have=$(awk -v a="$arg:" '$1 == a {print $2; exit}' <<<"$config")
    [[ $have == "$want" ]] || fail "docker-compose.yml builds the job image with $arg=$have, scripts/lib.sh pins $want"
  done
}

write_env_file() {
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  cat >"$TMP/compose.env" <<EOF
SPECKIT_ENV_FILE=$TMP/compose.env
POSTGRES_PASSWORD=$password
TEMPORAL_PORT=$SPECKIT_COMPOSE_TEST_TEMPORAL_PORT
TEMPORAL_HTTP_PORT=$SPECKIT_COMPOSE_TEST_HTTP_PORT
TEMPORAL_UI_PORT=$SPECKIT_COMPOSE_TEST_UI_PORT
POSTGRES_PORT=$SPECKIT_COMPOSE_TEST_PG_PORT
TEMPORAL_UI_URL=http://127.0.0.1:$SPECKIT_COMPOSE_TEST_UI_PORT
DOCKER_GID=$(stat -c %g /var/run/docker.sock)
SPECKIT_WORKSPACE_VOLUME=$VOLUME
SPECKIT_TEST_REMOTES=$TMP/remotes
SPECKIT_AGENT=scripted
SPECKIT_HOST_ID=compose-test
EOF
}

worker_health() {
  local id
  id=$(compose ps -q worker 2>/dev/null) && [[ -n $id ]] || return 1
  docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id"
}

wait_for_worker() {
  local deadline=$((SECONDS + DEADLINE_SECONDS)) health
  log "waiting for the worker to be healthy (up to ${DEADLINE_SECONDS}s)"
  until [[ "$(worker_health)" == healthy ]]; do
    ((SECONDS < deadline)) || fail "the worker is not healthy after ${DEADLINE_SECONDS}s (health: $(worker_health))"
    # A worker that exited at start (restart: unless-stopped starts it again) will not get better.
    [[ "$(docker inspect --format '{{.RestartCount}}' "$(compose ps -q worker)" 2>/dev/null)" == 0 ]] ||
      fail "the worker exited at start (see its log below)"
    sleep 3
  done
  health=$(docker inspect --format '{{json .State.Health.Log}}' "$(compose ps -q worker)" | jq -r '.[-1].Output')
  log "worker healthy (last check: ${health:-ok})"
}

# Records the mounts of every job container as it starts (they are removed when the run ends).
# `tail --pid` ends the reading loop when teardown stops `docker events`.
watch_job_mounts() {
  : >"$TMP/job-starts" # before `tail` opens it
  docker events --filter type=container --filter event=start --filter label=speckit.run-id \
    --format '{{.ID}}' >"$TMP/job-starts" &
  WATCHER=$!
  tail -n +1 -f --pid="$WATCHER" "$TMP/job-starts" | while read -r id; do
    docker inspect --format '{{json .}}' "$id" |
      jq -c '{run: .Config.Labels["speckit.run-id"], step: .Config.Labels["speckit.step"], mounts: .Mounts}' \
        >>"$TMP/job-mounts.jsonl" || true
  done &
}

run_cli() {
  # Runs start through the published HTTP API, as README's compose section suggests for the host's CLI.
  env TEMPORAL_ADDRESS="127.0.0.1:$SPECKIT_COMPOSE_TEST_TEMPORAL_PORT" TEMPORAL_NAMESPACE=default \
    TEMPORAL_HTTP_URL="http://127.0.0.1:$SPECKIT_COMPOSE_TEST_HTTP_PORT" \
    SPECKIT_TASK_QUEUE=speckit-runs TEMPORAL_UI_URL="http://127.0.0.1:$SPECKIT_COMPOSE_TEST_UI_PORT" \
    DATABASE_URL="postgres://speckit:$(grep '^POSTGRES_PASSWORD=' "$TMP/compose.env" | cut -d= -f2)@127.0.0.1:$SPECKIT_COMPOSE_TEST_PG_PORT/speckit" \
    node dist/bin/speckit-automation.js "$@"
}

psql_compose() { compose exec -T postgresql psql -X -q -At -v ON_ERROR_STOP=1 -U speckit -d speckit -c "$1"; }

check_run() {
  local remote=$1 result=$2 run_id branch commit mountpoint run_dir rows steps
  run_id=$(jq -r .runId "$result")
  branch=$(jq -r .branch "$result")
  commit=$(jq -r .commit "$result")
  [[ "$(jq -r .status "$result")" == succeeded ]] || fail "run $run_id: $(jq -c '{status, error}' "$result")"
  log "run $run_id succeeded: $branch at $commit"

  [[ "$(git --git-dir "$remote" rev-parse --verify --quiet "refs/heads/$branch")" == "$commit" ]] ||
    fail "the remote has no branch $branch at $commit (branches: $(git --git-dir "$remote" branch --list | paste -sd ' '))"
  log "ok: $branch is on the remote at the run's commit"

  rows=$(psql_compose "SELECT status || ' ' || feature_branch || ' ' || commit_sha FROM runs WHERE run_id = '$run_id'")
  [[ $rows == "succeeded $branch $commit" ]] || fail "runs row in the compose PostgreSQL: '$rows'"
  rows=$(psql_compose "SELECT string_agg(step || '=' || status, ' ') FROM step_states WHERE run_id = '$run_id'")
  for steps in clone specify plan tasks commit push; do
    [[ " $rows " == *" $steps=succeeded "* ]] || fail "step_states in the compose PostgreSQL lacks $steps=succeeded: $rows"
  done
  rows=$(psql_compose "SELECT count(*) FROM artifacts WHERE run_id = '$run_id'")
  ((rows > 0)) || fail "no artifacts indexed for run $run_id"
  log "ok: the compose PostgreSQL records the run, its steps and its $rows artifacts"

  mountpoint=$(docker volume inspect --format '{{.Mountpoint}}' "$VOLUME")
  run_dir="$mountpoint/runs/$run_id"
  [[ "$(jq -r .status "$run_dir/artifacts/summary.json")" == succeeded ]] ||
    fail "no succeeded summary.json in $run_dir/artifacts on volume $VOLUME"
  for steps in clone specify plan tasks commit push; do
    [[ -s $run_dir/artifacts/$steps.stdout.log || -e $run_dir/artifacts/$steps.stderr.log ]] ||
      fail "no $steps log in $run_dir/artifacts"
  done
  [[ -d $run_dir/repo/.git ]] || fail "no repository in $run_dir/repo"
  log "ok: summary, logs and repository are on volume $VOLUME ($run_dir)"

  check_job_mounts "$run_id" "$run_dir" "$remote"
  [[ -z "$(docker ps -aq --filter "label=speckit.run-id=$run_id")" ]] || fail "job containers of run $run_id are left"
  log "ok: no job container is left"
}

# Each job container: the run's directory of the volume at the worker's path, and nothing else
# but, for clone and push, the local remote at its own path, and for clone, the host's clone cache
# (bare mirrors of remotes, not workspaces) on the same volume.
check_job_mounts() {
  local run_id=$1 run_dir=$2 remote=$3 bad seen
  [[ -s $TMP/job-mounts.jsonl ]] || fail "no job container start was seen"
  bad=$(jq -c --arg run "$run_id" --arg src "$run_dir" --arg dst "$WORKSPACE_ROOT/runs/$run_id" --arg remote "$remote" \
    --arg cache_src "${run_dir%/runs/*}/clone-cache" --arg cache_dst "$WORKSPACE_ROOT/clone-cache" '
    select(.run == $run) | .step as $step | select(
      ([.mounts[] | select(.Type == "bind" and .Source == $src and .Destination == $dst)] | length) != 1
      or ([.mounts[] | select(.Type != "bind" or (
            (.Source == $src and .Destination == $dst) or
            (.Source == $remote and .Destination == $remote and ($step == "clone" or $step == "push")) or
            (.Source == $cache_src and .Destination == $cache_dst and $step == "clone") | not))
          ] | length) > 0)' "$TMP/job-mounts.jsonl")
  [[ -z $bad ]] || fail "job containers with other mounts than their run directory: $bad"
  seen=$(jq -r --arg run "$run_id" 'select(.run == $run) | .step' "$TMP/job-mounts.jsonl" | sort -u | paste -sd ' ')
  for step in clone specify plan tasks commit push; do
    [[ " $seen " == *" $step "* ]] || fail "no start of a $step container was seen (seen: $seen)"
  done
  log "ok: the job containers ($seen) each mounted only $WORKSPACE_ROOT/runs/$run_id of the volume (clone and push: and the remote; clone: and the clone cache)"
}

main() {
  local started=$SECONDS stack_started remote
  bash scripts/node-deps.sh
  bash scripts/setup.sh
  npm run --silent build
  validate_production_file
  bash scripts/build-worker-image.sh
  bash test/compose/build-stand-ins.sh

  trap teardown EXIT
  TMP=$(mktemp -d "$SPECKIT_STATE_DIR/compose-test.XXXXXX")
  chmod 0755 "$TMP" # the job user traverses it to the remote
  remote=$(bash scripts/make-sample-repo.sh "$TMP/remotes")
  write_env_file
  # A stack left by an interrupted run of this test.
  compose down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1 || true

  stack_started=$SECONDS
  log "docker-compose up: project $PROJECT (Temporal :$SPECKIT_COMPOSE_TEST_TEMPORAL_PORT, HTTP API :$SPECKIT_COMPOSE_TEST_HTTP_PORT, UI :$SPECKIT_COMPOSE_TEST_UI_PORT, PostgreSQL :$SPECKIT_COMPOSE_TEST_PG_PORT)"
  compose up --detach --no-build
  wait_for_worker
  watch_job_mounts

  log "starting a scripted run on $remote with the CLI"
  local status=0
  run_cli run --repo "$remote" --text "Let users share a list by email" --agent scripted --wait --json \
    >"$TMP/result.json" || status=$?
  ((status == 0)) || fail "the CLI exited $status: $(cat "$TMP/result.json")"
  check_run "$remote" "$TMP/result.json"
  log "compose smoke test passed in $((SECONDS - started))s (stack up, run and checks: $((SECONDS - stack_started))s)"
}

main "$@"
