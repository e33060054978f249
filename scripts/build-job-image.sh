#!/usr/bin/env bash
# Builds the job image $SPECKIT_JOB_IMAGE without pulling anything and without network
# access during `docker build`:
#   1. base image: debootstrap a minimal Debian root filesystem from the apt mirror,
#      tar it (cached) and `docker import` it as speckit-debian-base:<suite>-<hash>;
#   2. specify-cli and its dependencies: `pip download`ed wheels (cached);
#   3. images/job/Dockerfile on top, built with --network none.
# Rebuilds only when the inputs change (label speckit.inputs-hash).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JOB_DIR="$SPECKIT_ROOT/images/job"
SUITE=bookworm
VARIANT=minbase
BASE_PACKAGES="bash,ca-certificates,coreutils,findutils,git,grep,jq,procps,python3,python3-venv,sed"
PYTHON_VERSION=3.11 # python3 of $SUITE: the wheels must match it
DEBOOTSTRAP_LOG="$SPECKIT_LOG_DIR/debootstrap.log"
BUILD_LOG="$SPECKIT_LOG_DIR/build-job-image.log"

# Paths to remove on exit (temporary build dirs).
CLEANUP=()
cleanup() {
  local dir
  for dir in "${CLEANUP[@]}"; do
    # debootstrap mounts /proc and /sys inside the target; an interrupted run can leave them.
    grep -o " $dir/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf --one-file-system "$dir"
  done
}
trap cleanup EXIT

# The Debian mirror apt uses (not the security one); SPECKIT_DEBIAN_MIRROR overrides.
debian_mirror() {
  if [[ -n ${SPECKIT_DEBIAN_MIRROR:-} ]]; then
    echo "$SPECKIT_DEBIAN_MIRROR"
    return
  fi
  local mirror
  mirror=$(
    {
      cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {for (i = 2; i <= NF; i++) print $i}'
      cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        sed -E 's/\[[^]]*\]//' | awk '$1 == "deb" {print $2}'
    } | grep -v -- '-security' | head -n 1
  ) || true
  echo "${mirror:-http://deb.debian.org/debian}"
}

# Sets BASE_IMAGE to the tag of the base image, building/importing it when missing.
ensure_base_image() {
  local hash tag tarball rootfs mirror
  hash=$(printf '%s %s %s\n' "$VARIANT" "$SUITE" "$BASE_PACKAGES" | sha256sum | cut -c1-12)
  tag="speckit-debian-base:$SUITE-$hash"
  tarball="$SPECKIT_CACHE_DIR/rootfs/$SUITE-$hash.tar"

  if docker image inspect "$tag" >/dev/null 2>&1; then
    log "base image $tag present"
    BASE_IMAGE=$tag
    return
  fi
  if [[ ! -s $tarball ]]; then
    command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
    [[ $EUID -eq 0 ]] || die "debootstrap needs root: run this script as root (or with sudo)"
    mirror=$(debian_mirror)
    mkdir -p "$SPECKIT_CACHE_DIR/rootfs"
    rootfs=$(mktemp -d "$SPECKIT_CACHE_DIR/rootfs/build.XXXXXX")
    CLEANUP+=("$rootfs")
    log "debootstrap --variant=$VARIANT $SUITE from $mirror (packages: $BASE_PACKAGES; log: $DEBOOTSTRAP_LOG)"
    debootstrap --variant="$VARIANT" --include="$BASE_PACKAGES" "$SUITE" "$rootfs" "$mirror" \
      >"$DEBOOTSTRAP_LOG" 2>&1 ||
      die "debootstrap failed: see $DEBOOTSTRAP_LOG (mirror $mirror; override with SPECKIT_DEBIAN_MIRROR)"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/*
    log "writing root filesystem tarball $tarball"
    tar --numeric-owner -C "$rootfs" -cf "$tarball.tmp" . || die "could not write $tarball.tmp"
    mv "$tarball.tmp" "$tarball"
  else
    log "reusing root filesystem tarball $tarball"
  fi
  log "docker import $tarball as $tag"
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    "$tarball" "$tag" >/dev/null || die "docker import of $tarball failed (delete it to rebuild from scratch)"
  BASE_IMAGE=$tag
}

# Sets WHEEL_DIR to the directory holding specify-cli's wheels (and its dependencies),
# downloading them when missing.
ensure_wheels() {
  local dir="$SPECKIT_CACHE_DIR/wheels/specify-cli-$SPECKIT_SPECIFY_VERSION" tmp arch
  if [[ -f $dir/.complete ]]; then
    log "specify-cli $SPECKIT_SPECIFY_VERSION wheels present in $dir"
    WHEEL_DIR=$dir
    return
  fi
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  arch=$(uname -m)
  mkdir -p "$(dirname "$dir")"
  tmp=$(mktemp -d "$dir.XXXXXX")
  chmod 0755 "$tmp"
  CLEANUP+=("$tmp")
  log "pip download specify-cli==$SPECKIT_SPECIFY_VERSION and dependencies (python $PYTHON_VERSION, $arch)"
  python3 -m pip download --quiet --dest "$tmp" --only-binary=:all: \
    --python-version "$PYTHON_VERSION" --platform "manylinux2014_$arch" \
    --platform "manylinux_2_28_$arch" --platform any \
    "specify-cli==$SPECKIT_SPECIFY_VERSION" ||
    die "pip download specify-cli==$SPECKIT_SPECIFY_VERSION failed: check PyPI access (pip config list) and SPECKIT_SPECIFY_VERSION"
  touch "$tmp/.complete"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  WHEEL_DIR=$dir
}

main() {
  [[ -f $JOB_DIR/Dockerfile ]] || die "$JOB_DIR/Dockerfile is missing"
  [[ -f $JOB_DIR/scripted-agent ]] || die "$JOB_DIR/scripted-agent is missing (the job image ships it)"
  ensure_docker_daemon

  mkdir -p "$SPECKIT_LOG_DIR"
  ensure_base_image
  ensure_wheels
  local base_id hash current ctx
  base_id=$(docker image inspect --format '{{.Id}}' "$BASE_IMAGE")
  hash=$(
    {
      sha256sum <"$JOB_DIR/Dockerfile"
      sha256sum <"$JOB_DIR/scripted-agent"
      echo "specify-cli==$SPECKIT_SPECIFY_VERSION"
      echo "$base_id"
      (cd "$WHEEL_DIR" && ls -1 ./*.whl)
    } | sha256sum | cut -c1-16
  )

  current=$(docker image inspect --format '{{ index .Config.Labels "speckit.inputs-hash" }}' \
    "$SPECKIT_JOB_IMAGE" 2>/dev/null || true)
  if [[ $current == "$hash" ]]; then
    log "job image $SPECKIT_JOB_IMAGE up to date (inputs $hash)"
    return
  fi

  ctx=$(mktemp -d)
  CLEANUP+=("$ctx")
  cp "$JOB_DIR/Dockerfile" "$JOB_DIR/scripted-agent" "$ctx/"
  cp -r "$WHEEL_DIR" "$ctx/wheels"
  log "building $SPECKIT_JOB_IMAGE from $BASE_IMAGE (inputs $hash, no network; log: $BUILD_LOG)"
  # docker.io 20.10 has no BuildKit/buildx here: use the classic builder.
  DOCKER_BUILDKIT=0 docker build --network none --tag "$SPECKIT_JOB_IMAGE" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --build-arg "SPECIFY_VERSION=$SPECKIT_SPECIFY_VERSION" \
    --build-arg "INPUTS_HASH=$hash" \
    "$ctx" >"$BUILD_LOG" 2>&1 ||
    die "docker build of $SPECKIT_JOB_IMAGE failed: see $BUILD_LOG (last lines: $(tail -n 5 "$BUILD_LOG" | tr '\n' ' '))"
  # Remove the image this build replaced (now untagged).
  docker image prune --force --filter "label=org.opencontainers.image.title=speckit-job" >/dev/null

  log "smoke test: specify, git, jq, python3 inside $SPECKIT_JOB_IMAGE"
  docker run --rm --network none "$SPECKIT_JOB_IMAGE" \
    sh -c 'specify --version && git --version && jq --version && python3 --version' ||
    die "the freshly built $SPECKIT_JOB_IMAGE failed its smoke test"
  log "job image $SPECKIT_JOB_IMAGE built"
}

main "$@"
