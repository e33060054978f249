#!/usr/bin/env bash
# Builds the compose smoke test's stand-ins for the third-party images, without pulling anything
# and without network during `docker build`, each on the job image's debootstrap'ed Debian base:
#   speckit-compose-postgres:local  Debian's PostgreSQL packages (postgres/Dockerfile)
#   speckit-compose-temporal:local  the Temporal CLI setup builds (temporal/Dockerfile)
# Rebuilds only when their inputs change (label speckit.inputs-hash).
# shellcheck source-path=SCRIPTDIR source=../../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

HERE="$SPECKIT_ROOT/test/compose"
BUILD_LOG="$SPECKIT_LOG_DIR/build-compose-stand-ins.log"
PG_PACKAGE=postgresql-15 # bookworm's PostgreSQL

CLEANUP=()
cleanup() { ((${#CLEANUP[@]} == 0)) || rm -rf "${CLEANUP[@]}"; }
trap cleanup EXIT

# build_image TAG CONTEXT HASH: docker build, offline, unless TAG already has inputs HASH.
build_image() {
  local tag=$1 ctx=$2 hash=$3
  if [[ "$(docker image inspect --format '{{ index .Config.Labels "speckit.inputs-hash" }}' "$tag" 2>/dev/null)" == "$hash" ]]; then
    log "stand-in $tag up to date (inputs $hash)"
    return
  fi
  log "building stand-in $tag (inputs $hash, no network; log: $BUILD_LOG)"
  DOCKER_BUILDKIT=0 docker build --network none --tag "$tag" \
    --build-arg "BASE_IMAGE=$BASE" --build-arg "INPUTS_HASH=$hash" "$ctx" >"$BUILD_LOG" 2>&1 ||
    die "docker build of $tag failed: see $BUILD_LOG (last lines: $(tail -n 5 "$BUILD_LOG" | tr '\n' ' '))"
}

# The packages PostgreSQL needs beyond what the base has: apt on the host resolves them against
# the base image's own package list and downloads them (the host's apt sources, its lists updated).
postgres_image() {
  local ctx status hash out
  ctx=$(mktemp -d "$SPECKIT_CACHE_DIR/compose-postgres.XXXXXX")
  CLEANUP+=("$ctx")
  cp "$HERE/postgres/Dockerfile" "$HERE/postgres/entrypoint.sh" "$ctx/"
  mkdir -p "$ctx/debs/partial"
  status="$ctx/dpkg-status"
  docker run --rm --network none "$BASE" cat /var/lib/dpkg/status >"$status"
  out=$(apt-get install --download-only --yes --quiet --no-install-recommends \
    -o Dir::State::status="$status" -o Dir::Cache::archives="$ctx/debs" -o Debug::NoLocking=1 \
    "$PG_PACKAGE" 2>&1) || {
    # Package lists missing or stale (a fresh machine): update them once and retry.
    as_root apt-get update -qq || die "apt-get update failed: check the Debian mirror"
    out=$(apt-get install --download-only --yes --quiet --no-install-recommends \
      -o Dir::State::status="$status" -o Dir::Cache::archives="$ctx/debs" -o Debug::NoLocking=1 \
      "$PG_PACKAGE" 2>&1) || die "apt could not download $PG_PACKAGE: $(tail -n 5 <<<"$out")"
  }
  rm -rf "$ctx/debs/partial" "$ctx/debs/lock" "$status"
  hash=$({
    echo "$BASE"
    cd "$ctx" && ls debs
    sha256sum Dockerfile entrypoint.sh
  } | sha256sum | cut -c1-16)
  build_image speckit-compose-postgres:local "$ctx" "$hash"
}

temporal_image() {
  local ctx hash
  [[ -x $TEMPORAL_BIN ]] || die "Temporal CLI not found at $TEMPORAL_BIN: run 'npm run setup'"
  hash=$({
    echo "$BASE"
    sha256sum <"$HERE/temporal/Dockerfile"
    stat -c '%s %Y' "$TEMPORAL_BIN"
  } | sha256sum | cut -c1-16)
  ctx=$(mktemp -d "$SPECKIT_CACHE_DIR/compose-temporal.XXXXXX")
  CLEANUP+=("$ctx")
  cp "$HERE/temporal/Dockerfile" "$ctx/"
  ln "$TEMPORAL_BIN" "$ctx/temporal" 2>/dev/null || cp "$TEMPORAL_BIN" "$ctx/temporal"
  build_image speckit-compose-temporal:local "$ctx" "$hash"
}

mkdir -p "$SPECKIT_LOG_DIR"
BASE=$("$SPECKIT_ROOT/scripts/build-job-image.sh" --base-image)
postgres_image
temporal_image
