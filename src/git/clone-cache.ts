// The clone cache: one bare mirror per repository on this host, refreshed by fetch before each
// clone, so a repeat clone moves only what is new from the remote and copies the rest locally.
//
//   <dir>/<key>.git   the mirror: the remote's branches, nothing else (no URL, no token, no reflog)
//   <dir>/<key>.lock  flock(1): exclusive while a run creates or fetches the mirror, shared while a
//                     run clones from it; eviction only ever tries it without waiting
//
// A mirror is built aside and renamed into place, so one that exists is complete; readers hold the
// lock shared, so no fetch or repack changes it under them. The run's repository is a plain local
// clone of the mirror (objects copied, no alternates) whose origin is then the real remote: it never
// depends on the mirror afterwards, and eviction may remove the mirror at any time after.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How the clone step used the cache: `bypassed` means the mirror could not be used (see its stderr). */
export type CloneCacheState = 'hit' | 'miss' | 'bypassed' | 'off';

/**
 * Whether a clone of `repo` goes through the cache. Not for a path on this host: git clones one by
 * copying its files already, so a mirror would only add a second copy (a file:// URL goes through
 * git's transport like a remote, and is cached).
 */
export function usesCloneCache(repo: string): boolean {
  return !repo.startsWith('/');
}

/**
 * The repository's address with anything secret removed (user, password, query, fragment), and
 * one spelling per repository: what the key is derived from and what the mirror may record.
 */
export function sanitizedRepo(repo: string): string {
  if (repo.startsWith('file://')) return path.resolve(fileURLToPath(repo));
  if (repo.startsWith('/')) return path.resolve(repo);
  if (!repo.includes('://')) return repo.replace(/\/+$/, ''); // user@host:path carries no secret
  const url = new URL(repo);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** `<name>-<hash>`: the name for whoever looks at the directory, the hash for uniqueness. */
export function cloneCacheKey(repo: string): string {
  const clean = sanitizedRepo(repo);
  const hash = createHash('sha256').update(clean).digest('hex').slice(0, 20);
  const name = path
    .basename(clean.replace(/^.*:/, '/'))
    .replace(/\.git$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 40);
  return name ? `${name}-${hash}` : hash;
}

/**
 * The bind mount of the cache directory, made the way the run directory's is (`runBind`, from
 * containers/workspace-mounts): the same path in a host directory; on a workspace volume, the same
 * offset from the volume's Mountpoint as from the workspace root (config keeps the cache inside it).
 */
export function cloneCacheBind(
  cacheDir: string,
  runBind: string,
  runDir: string,
  workspaceRoot: string,
): string {
  const [source = '', target = ''] = runBind.split(':');
  if (source === target) return `${cacheDir}:${cacheDir}`;
  if (target !== runDir) throw new Error(`run bind ${runBind} does not mount ${runDir}`);
  const hostRoot = source.slice(0, source.length - path.relative(workspaceRoot, runDir).length - 1);
  return `${path.join(hostRoot, path.relative(workspaceRoot, cacheDir))}:${cacheDir}`;
}

/**
 * Bash functions for the clone step (git/step-scripts CLONE), from the environment:
 * SPECKIT_CLONE_CACHE (directory), SPECKIT_CLONE_CACHE_KEY, SPECKIT_CLONE_CACHE_REPO (the address
 * without credentials), SPECKIT_CLONE_CACHE_MAX_MB, SPECKIT_REPO,
 * SPECKIT_BASE_BRANCH. They never rely on `set -e` (it is off inside a function called from `if`):
 * every failure returns, and the caller clones straight from the remote instead.
 */
export const CLONE_CACHE_FUNCTIONS = `
# Seconds to wait for another run's fetch: well inside the clone step's default timeout (300 s), so
# a mirror stuck behind a slow fetch still leaves time to clone straight from the remote.
CACHE_LOCK_WAIT=120
# More packs than this (one per fetch) are consolidated by the next fetch, while it holds the lock.
CACHE_MAX_PACKS=16

# The remote's branches into <git dir>; the URL stays on the command line and the token in the
# environment (credential helper), so neither is written into the mirror (no FETCH_HEAD either).
mirror_fetch() {
  git -C "$1" fetch --quiet --prune --no-tags --no-write-fetch-head -- "$SPECKIT_REPO" '+refs/heads/*:refs/heads/*'
}

# Built aside as <key>.tmp and renamed into place: a mirror that exists is complete.
mirror_create() {
  local tmp=\${1%.git}.tmp
  rm -rf "$tmp"
  git init --quiet --bare --template= "$tmp" || return 1
  # No background gc or maintenance: only a fetch holding the lock exclusively repacks.
  git -C "$tmp" config gc.auto 0 && git -C "$tmp" config maintenance.auto false || return 1
  git -C "$tmp" config core.logAllRefUpdates false && git -C "$tmp" config transfer.unpackLimit 1 || return 1
  git -C "$tmp" config speckit.repo "$SPECKIT_CLONE_CACHE_REPO" || return 1
  mirror_fetch "$tmp" && mv -T "$tmp" "$1"
}

# Clones $SPECKIT_BASE_BRANCH into ./repo from the mirror, creating or refreshing it first. Sets
# cache_state (hit: the mirror was there; miss: created now) and leaves the mirror's lock held
# shared on cache_fd. Non-zero: no usable mirror.
cache_clone() {
  local mirror=$SPECKIT_CLONE_CACHE/$SPECKIT_CLONE_CACHE_KEY.git packs
  exec {cache_fd}>>"$SPECKIT_CLONE_CACHE/$SPECKIT_CLONE_CACHE_KEY.lock" || return 1
  if ! flock -x -w "$CACHE_LOCK_WAIT" "$cache_fd"; then
    echo "clone cache: $mirror stayed locked for $CACHE_LOCK_WAIT s" >&2
    return 1
  fi
  if [[ -d $mirror ]]; then
    cache_state=hit
    mirror_fetch "$mirror" || return 1
    packs=$(find "$mirror/objects/pack" -name '*.pack' | wc -l)
    if ((packs > CACHE_MAX_PACKS)); then git -C "$mirror" repack -a -d -q || return 1; fi
  else
    cache_state=miss
    mirror_create "$mirror" || return 1
  fi
  # flock(2) does not convert atomically: an eviction may slip in between, hence the check.
  flock -s "$cache_fd" || return 1
  [[ -d $mirror ]] || return 1
  touch "$mirror/speckit-last-used" || return 1
  # A local clone copies the mirror's objects (hard links only within one mount): no alternates.
  git clone --quiet --branch "$SPECKIT_BASE_BRANCH" --single-branch --no-tags -- "$mirror" repo || return 1
  git -C repo remote set-url origin "$SPECKIT_REPO"
}

# "<last used> <KiB> <key>" per mirror.
cache_inventory() {
  local m used kb
  for m in "$SPECKIT_CLONE_CACHE"/*.git; do
    [[ -d $m ]] || continue
    used=$(stat -c %.9Y "$m/speckit-last-used" 2>/dev/null || stat -c %.9Y "$m" 2>/dev/null) || continue
    kb=$(du -sk "$m" 2>/dev/null | cut -f1) || continue
    [[ -n $kb ]] && echo "$used $kb $(basename "$m" .git)"
  done
}

# Removes <key>.<suffix> if no run holds <key>.lock; never waits for one that does.
cache_remove_unused() {
  local key=$1 what=$2 fd status=1 base=$SPECKIT_CLONE_CACHE/$1
  exec {fd}>>"$base.lock" || return 1
  if flock -x -n "$fd"; then
    # Renamed first: a removal cut short leaves <key>.evicted, never a partial <key>.git.
    if [[ $what == evicted ]] || mv -T "$base.$what" "$base.evicted"; then
      rm -rf "$base.evicted" && status=0
    fi
  fi
  exec {fd}>&-
  return $status
}

# Least recently used mirrors first, until the cache fits SPECKIT_CLONE_CACHE_MAX_MB; a mirror in use
# (its lock held: a run fetching into it or cloning from it, this one included) is skipped, so the
# bound can be exceeded while the mirrors in use alone exceed it.
cache_evict() {
  local evict_fd entry used kb key total=0 limit=$((SPECKIT_CLONE_CACHE_MAX_MB * 1024)) leftover
  exec {evict_fd}>>"$SPECKIT_CLONE_CACHE/evict.lock" || return 1
  flock -x -n "$evict_fd" || return 0 # another run is evicting right now
  # What a killed container left behind: a half-built mirror, or one half removed.
  for leftover in "$SPECKIT_CLONE_CACHE"/*.tmp "$SPECKIT_CLONE_CACHE"/*.evicted; do
    [[ -e $leftover ]] || continue
    key=$(basename "$leftover"); cache_remove_unused "\${key%.*}" "\${key##*.}" || true
  done
  local -a entries=()
  mapfile -t entries < <(cache_inventory | sort -n)
  for entry in "\${entries[@]}"; do
    read -r used kb key <<<"$entry"
    total=$((total + kb))
  done
  for entry in "\${entries[@]}"; do
    ((total > limit)) || break
    read -r used kb key <<<"$entry"
    if cache_remove_unused "$key" git; then
      total=$((total - kb))
      echo "clone cache: evicted $key ($kb KiB, last used $(date -u -d "@$used" +%FT%TZ))"
    fi
  done
  exec {evict_fd}>&-
}
`;
