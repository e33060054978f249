#!/usr/bin/env bash
# Builds the job image $SPECKIT_JOB_IMAGE without pulling anything and without network
# access during `docker build`:
#   1. base image: debootstrap a minimal Debian root filesystem (git, gh, python3, jq, ...)
#      from the apt mirror, tar it (cached) and `docker import` it as
#      speckit-debian-base:<suite>-<hash>;
#   2. specify-cli and its dependencies: `pip download`ed wheels (cached);
#   3. Node.js (official build) and npm: `npm pack`ed tarballs (cached);
#   4. the agent CLIs (Codex, Claude Code, Gemini, Copilot): installed on the host by the pinned
#      npm into a staging prefix, for the image's platform, and tarred (cached);
#   5. images/job/Dockerfile on top, built with --network none under a temporary tag, checked
#      (every pinned version of scripts/lib.sh, in label speckit.versions, by each tool's
#      --version in a container without network) and only then tagged $SPECKIT_JOB_IMAGE.
# Rebuilds only when the inputs change (label speckit.inputs-hash).
#
# Usage: build-job-image.sh                     build (or keep) $SPECKIT_JOB_IMAGE
#        build-job-image.sh --context-only DIR  write the build context to DIR and print the
#                                               `docker build` command for a machine that can
#                                               pull debian:bookworm-slim (see the Dockerfile)
#        build-job-image.sh --base-image        build (or keep) the Debian base image only and
#                                               print its tag
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JOB_DIR="$SPECKIT_ROOT/images/job"
AGENT_DIR="$JOB_DIR/scripted-agent" # the scripted agent's Python package, copied into the image
SUITE=bookworm
VARIANT=minbase
BASE_PACKAGES="bash,ca-certificates,coreutils,findutils,gh,git,grep,jq,procps,python3,python3-venv,sed"
PYTHON_VERSION=${SPECKIT_PYTHON_VERSION%.*} # python3 of $SUITE (major.minor): the wheels must match it
# The Debian versions the root filesystem must have (its tarball is rebuilt when they change).
DEBIAN_PINS="git=$SPECKIT_GIT_VERSION gh=$SPECKIT_GH_VERSION python3=$SPECKIT_PYTHON_VERSION"
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

# check_debian_pins ROOTFS: the packages of DEBIAN_PINS have their pinned upstream versions
# (Debian version without epoch and revision, e.g. 1:2.39.5-0+deb12u3 -> 2.39.5).
check_debian_pins() {
  local rootfs=$1 pin pkg want have upstream wrong=()
  for pin in $DEBIAN_PINS; do
    pkg=${pin%%=*} want=${pin#*=}
    # shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
    have=$(chroot "$rootfs" dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null) || have=missing
    upstream=${have#*:}
    upstream=${upstream%%[-+~]*}
    [[ $upstream == "$want" ]] || wrong+=("$pkg $have (pinned $want)")
  done
  ((${#wrong[@]} == 0)) ||
    die "the Debian mirror ships other versions than scripts/lib.sh pins: ${wrong[*]}; update the SPECKIT_*_VERSION pins (or override them from the environment)"
}

# slim_rootfs ROOTFS: drops what debian:bookworm-slim leaves out (documentation but the
# copyright files, manual pages, translations), keeps dpkg from installing it again, and
# empties the package caches.
slim_rootfs() {
  local rootfs=$1
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda}/* \
    "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/*
}

# Sets BASE_IMAGE to the tag of the base image, building/importing it when missing.
ensure_base_image() {
  local hash tag tarball rootfs mirror
  hash=$(printf '%s %s %s %s\n%s\n' "$VARIANT" "$SUITE" "$BASE_PACKAGES" "$DEBIAN_PINS" \
    "$(declare -f slim_rootfs)" | sha256sum | cut -c1-12)
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
    check_debian_pins "$rootfs"
    slim_rootfs "$rootfs"
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

# npm's name for this machine's platform, as in the names of Node.js's and the agent CLIs'
# platform packages.
npm_platform() {
  case $(uname -m) in
    x86_64) echo linux-x64 ;;
    aarch64 | arm64) echo linux-arm64 ;;
    *) die "no Node.js build for $(uname -m)" ;;
  esac
}

# npm_tarball SPEC FILE: makes sure $NPM_DIR/FILE holds the tarball `npm pack SPEC` writes
# (npm checks it against the registry's integrity hash).
npm_tarball() {
  local spec=$1 file=$2 tmp err
  [[ -s $NPM_DIR/$file ]] && return
  command -v npm >/dev/null 2>&1 || die "npm not found on PATH: the job image's npm packages are downloaded with 'npm pack' (install Node.js 20+)"
  mkdir -p "$NPM_DIR"
  tmp=$(mktemp -d "$NPM_DIR/pack.XXXXXX")
  CLEANUP+=("$tmp")
  log "npm pack $spec"
  err=$(cd "$tmp" && npm pack --silent --pack-destination "$tmp" "$spec" 2>&1 >/dev/null) ||
    die "npm pack $spec failed: check npm registry access (npm config get registry): $err"
  [[ -s $tmp/$file ]] || die "npm pack $spec did not write $file (it wrote: $(ls "$tmp"))"
  chmod 0644 "$tmp/$file"
  mv "$tmp/$file" "$NPM_DIR/$file"
}

# Sets NPM_DIR, NODE_PLATFORM and NPM_FILES: the tarballs of Node.js and npm, downloaded when
# missing.
ensure_npm_tarballs() {
  NPM_DIR="$SPECKIT_CACHE_DIR/npm"
  NODE_PLATFORM=$(npm_platform)
  NPM_FILES=(
    "node-$NODE_PLATFORM-$SPECKIT_NODE_VERSION.tgz"
    "npm-$SPECKIT_NPM_VERSION.tgz"
  )
  # The official Node.js build, as npm package node-<platform> (bin/node, headers, docs).
  npm_tarball "node-$NODE_PLATFORM@$SPECKIT_NODE_VERSION" "${NPM_FILES[0]}"
  npm_tarball "npm@$SPECKIT_NPM_VERSION" "${NPM_FILES[1]}"
  log "npm tarballs present in $NPM_DIR (node $SPECKIT_NODE_VERSION $NODE_PLATFORM, npm $SPECKIT_NPM_VERSION)"
}

# The agent CLIs' npm packages at their pinned versions.
agent_specs() {
  printf '%s\n' "@openai/codex@$SPECKIT_CODEX_VERSION" "@anthropic-ai/claude-code@$SPECKIT_CLAUDE_VERSION" \
    "@google/gemini-cli@$SPECKIT_GEMINI_VERSION" "@github/copilot@$SPECKIT_COPILOT_VERSION"
}

# install_agent_clis PREFIX: `npm install --global --prefix PREFIX` of the agent CLIs, by the
# pinned npm (the tree does not depend on the host's npm; the host's node runs it, its registry
# settings apply), for the image's platform (Linux, glibc) and without install scripts: the
# Dockerfile wires the native binaries instead (see there). Their optional dependencies come
# along (whatever the host's npm config omits): each CLI's native platform package, and Gemini's
# native modules.
install_agent_clis() {
  local prefix=$1 npm_dir specs=() out
  mapfile -t specs < <(agent_specs)
  npm_dir=$(mktemp -d "$NPM_DIR/npm-cli.XXXXXX")
  CLEANUP+=("$npm_dir")
  tar -xzf "$NPM_DIR/npm-$SPECKIT_NPM_VERSION.tgz" -C "$npm_dir" --strip-components=1 ||
    die "could not unpack $NPM_DIR/npm-$SPECKIT_NPM_VERSION.tgz (delete it to download it again)"
  out=$(node "$npm_dir/bin/npm-cli.js" install --global --prefix "$prefix" \
    --os linux --cpu "${NODE_PLATFORM#linux-}" --libc glibc --include=optional --ignore-scripts \
    --engine-strict=false --no-audit --no-fund --no-update-notifier --loglevel=error \
    "${specs[@]}" 2>&1) ||
    die "npm install of ${specs[*]} failed: check npm registry access (npm config get registry): $(tail -n 20 <<<"$out")"
}

# Sets AGENTS_TAR: the agent CLIs' global node_modules tree (lib/node_modules of
# install_agent_clis' prefix) as a tarball, cached and keyed by the pinned versions, the platform
# and install_agent_clis itself; installed when missing.
ensure_agent_clis() {
  local hash tmp
  hash=$(printf '%s\n' "$NODE_PLATFORM" "npm@$SPECKIT_NPM_VERSION" "$(agent_specs)" \
    "$(declare -f install_agent_clis)" | sha256sum | cut -c1-12)
  AGENTS_TAR="$NPM_DIR/agent-clis-$NODE_PLATFORM-$hash.tar"
  if [[ -s $AGENTS_TAR ]]; then
    log "agent CLIs present in $AGENTS_TAR"
    return
  fi
  command -v node >/dev/null 2>&1 || die "node not found on PATH: the agent CLIs are installed on the host by npm (install Node.js 20+)"
  mkdir -p "$NPM_DIR"
  tmp=$(mktemp -d "$NPM_DIR/agent-clis.XXXXXX")
  CLEANUP+=("$tmp")
  log "npm install --global $(agent_specs | paste -sd ' ') ($NODE_PLATFORM, npm $SPECKIT_NPM_VERSION, no install scripts)"
  install_agent_clis "$tmp/prefix"
  # Owned by root, readable by all (the image's user is not root), whatever the host's umask.
  tar -C "$tmp/prefix/lib/node_modules" --owner=0 --group=0 --numeric-owner --mode=a+rX,go-w \
    -cf "$tmp/agent-clis.tar" . || die "could not write $tmp/agent-clis.tar"
  mv "$tmp/agent-clis.tar" "$AGENTS_TAR"
  log "agent CLIs written to $AGENTS_TAR ($(du -m "$AGENTS_TAR" | cut -f 1) MB)"
}

# The pinned versions the image must report, one tool=version a line: each is checked against
# `<tool> --version` (python: python3) and recorded in the image's speckit.versions label (the
# product reads the agent CLI's version from there, under the agent's name).
pinned_versions() {
  printf '%s\n' "git=$SPECKIT_GIT_VERSION" "gh=$SPECKIT_GH_VERSION" "python=$SPECKIT_PYTHON_VERSION" \
    "specify=$SPECKIT_SPECIFY_VERSION" "node=$SPECKIT_NODE_VERSION" "npm=$SPECKIT_NPM_VERSION" \
    "codex=$SPECKIT_CODEX_VERSION" "claude=$SPECKIT_CLAUDE_VERSION" "gemini=$SPECKIT_GEMINI_VERSION" \
    "copilot=$SPECKIT_COPILOT_VERSION"
}

# The same as a JSON object (versions are plain version strings: nothing to escape).
versions_json() {
  pinned_versions | awk -F= '{printf "%s\"%s\":\"%s\"", (NR > 1 ? "," : "{"), $1, $2} END {print "}"}'
}

# The scripted agent's files, relative to AGENT_DIR and sorted: what the image gets and what its
# inputs hash covers. Python's and the tools' caches (__pycache__, .ruff_cache, ...) stay out.
agent_files() {
  (cd "$AGENT_DIR" && find . \( -name __pycache__ -o -name '.?*' \) -prune -o -type f -print | LC_ALL=C sort)
}

# write_context DIR: the Dockerfile, the scripted agent, the wheels, the npm tarballs and the
# agent CLIs' tree.
write_context() {
  local ctx=$1 file
  mkdir -p "$ctx/wheels" "$ctx/npm" "$ctx/agents" "$ctx/scripted-agent"
  cp "$JOB_DIR/Dockerfile" "$ctx/"
  agent_files | (cd "$AGENT_DIR" && xargs -d '\n' cp --parents --preserve=mode -t "$ctx/scripted-agent")
  cp "$WHEEL_DIR"/*.whl "$ctx/wheels/"
  # Hard links when the cache is on the same file system: the agent CLIs' tree is large.
  for file in "${NPM_FILES[@]}"; do
    ln "$NPM_DIR/$file" "$ctx/npm/$file" 2>/dev/null || cp "$NPM_DIR/$file" "$ctx/npm/$file"
  done
  ln "$AGENTS_TAR" "$ctx/agents/agent-clis.tar" 2>/dev/null || cp "$AGENTS_TAR" "$ctx/agents/agent-clis.tar"
}

# The --build-arg flags of both build routes (BASE_IMAGE and APT_PACKAGES come on top).
build_args() {
  printf '%s\n' \
    --build-arg "SPECIFY_VERSION=$SPECKIT_SPECIFY_VERSION" \
    --build-arg "NODE_VERSION=$SPECKIT_NODE_VERSION" \
    --build-arg "NODE_PLATFORM=$NODE_PLATFORM" \
    --build-arg "NPM_VERSION=$SPECKIT_NPM_VERSION" \
    --label "speckit.versions=$(versions_json)"
}

# check_versions IMAGE: every pinned version shows in the matching `--version` output, the
# first line on stdout (some CLIs warn on stderr first), run as the image's user without network.
check_versions() {
  local image=$1 out tool want line tools=() wrong=()
  mapfile -t tools < <(pinned_versions | cut -d = -f 1)
  out=$(docker run --rm --network none "$image" bash -c '
    err=$(mktemp)
    for tool in "$@" jq; do
      cmd=$tool; [[ $tool == python ]] && cmd=python3
      line=$(timeout 60 "$cmd" --version 2>"$err" | head -n 1)
      [[ -n $line ]] || line="nothing on stdout; stderr: $(tail -n 3 "$err" | paste -sd " ")"
      printf "%s\t%s\n" "$tool" "$(tr "\t" " " <<<"$line")"
    done' versions "${tools[@]}") || die "could not run $image: $out"
  while IFS='=' read -r tool want; do
    line=$(awk -F '\t' -v t="$tool" '$1 == t {print $2}' <<<"$out")
    # Not `grep -o | grep -q`: grep -q stops reading at its first match, the first grep can die of
    # SIGPIPE and pipefail would report a version that does match as wrong.
    grep -qxF "$want" < <(grep -oE '[0-9]+(\.[0-9]+)+' <<<"$line") || wrong+=("$tool: '$line' (pinned $want)")
  done < <(pinned_versions)
  grep -q $'^jq\tjq-' <<<"$out" || wrong+=("jq: $(grep '^jq' <<<"$out")")
  ((${#wrong[@]} == 0)) || die "$image does not report the pinned versions: ${wrong[*]}"
  log "versions: $(cut -f 2 <<<"$out" | paste -sd ';' | sed 's/;/; /g')"
}

context_only() {
  local ctx=$1
  [[ ! -e $ctx || -z "$(ls -A "$ctx")" ]] || die "$ctx exists and is not empty"
  ensure_wheels
  ensure_npm_tarballs
  ensure_agent_clis
  write_context "$ctx"
  local args=()
  mapfile -t args < <(build_args)
  log "build context written to $ctx; where debian:bookworm-slim can be pulled, build with:"
  printf '%q ' docker build --build-arg "BASE_IMAGE=debian:bookworm-slim" \
    --build-arg "APT_PACKAGES=${BASE_PACKAGES//,/ }" "${args[@]}" --tag "$SPECKIT_JOB_IMAGE" "$ctx"
  echo
}

main() {
  # For the images that build on the same base (build-worker-image.sh, test/compose).
  if [[ ${1:-} == --base-image ]]; then
    ensure_docker_daemon
    ensure_base_image
    echo "$BASE_IMAGE"
    return
  fi
  [[ -f $JOB_DIR/Dockerfile ]] || die "$JOB_DIR/Dockerfile is missing"
  [[ -f $AGENT_DIR/bin/scripted-agent ]] || die "$AGENT_DIR/bin/scripted-agent is missing (the job image ships it)"
  case "${1:-}" in
    --context-only)
      [[ $# -eq 2 ]] || die "usage: $0 [--context-only DIR]"
      context_only "$2"
      return
      ;;
    "") ;;
    *) die "usage: $0 [--context-only DIR]" ;;
  esac
  ensure_docker_daemon

  mkdir -p "$SPECKIT_LOG_DIR"
  ensure_base_image
  ensure_wheels
  ensure_npm_tarballs
  ensure_agent_clis
  local base_id hash current ctx tmp_tag args=() started=$SECONDS
  base_id=$(docker image inspect --format '{{.Id}}' "$BASE_IMAGE")
  hash=$(
    {
      sha256sum <"$JOB_DIR/Dockerfile"
      agent_files | (cd "$AGENT_DIR" && xargs -d '\n' sha256sum) # names and contents
      versions_json
      echo "$base_id"
      (cd "$WHEEL_DIR" && ls -1 ./*.whl)
      printf '%s\n' "${NPM_FILES[@]}"
      basename "$AGENTS_TAR" # keyed by the agent CLIs' versions and how they are installed
    } | sha256sum | cut -c1-16
  )

  current=$(docker image inspect --format '{{ index .Config.Labels "speckit.inputs-hash" }}' \
    "$SPECKIT_JOB_IMAGE" 2>/dev/null || true)
  if [[ $current == "$hash" ]]; then
    log "job image $SPECKIT_JOB_IMAGE up to date (inputs $hash)"
    return
  fi

  ctx=$(mktemp -d "$SPECKIT_CACHE_DIR/context.XXXXXX")
  CLEANUP+=("$ctx")
  write_context "$ctx"
  mapfile -t args < <(build_args)
  # Built under a temporary tag; $SPECKIT_JOB_IMAGE moves to it only once it passed its checks.
  tmp_tag="speckit-job-build:$hash"
  log "building $SPECKIT_JOB_IMAGE from $BASE_IMAGE (inputs $hash, no network; log: $BUILD_LOG)"
  # docker.io 20.10 has no BuildKit/buildx here: use the classic builder.
  DOCKER_BUILDKIT=0 docker build --network none --tag "$tmp_tag" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --build-arg "INPUTS_HASH=$hash" \
    "${args[@]}" \
    "$ctx" >"$BUILD_LOG" 2>&1 ||
    die "docker build of $SPECKIT_JOB_IMAGE failed: see $BUILD_LOG (last lines: $(tail -n 5 "$BUILD_LOG" | tr '\n' ' '))"

  log "checking $tmp_tag: pinned versions of $(pinned_versions | cut -d = -f 1 | paste -sd ' '); jq"
  if ! (check_versions "$tmp_tag"); then
    docker rmi "$tmp_tag" >/dev/null 2>&1 || true
    docker image prune --force --filter "label=org.opencontainers.image.title=speckit-job" >/dev/null
    die "the freshly built image failed its checks; $SPECKIT_JOB_IMAGE is unchanged"
  fi
  docker tag "$tmp_tag" "$SPECKIT_JOB_IMAGE"
  docker rmi "$tmp_tag" >/dev/null
  # Remove the image this build replaced and the build stages (now untagged).
  docker image prune --force --filter "label=org.opencontainers.image.title=speckit-job" >/dev/null
  log "job image $SPECKIT_JOB_IMAGE built in $((SECONDS - started))s ($(docker image inspect --format '{{.Size}}' "$SPECKIT_JOB_IMAGE" | awk '{printf "%d MB", $1 / 1e6}'))"
}

main "$@"
