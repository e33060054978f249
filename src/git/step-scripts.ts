// The git steps, as bash run inside a job container: the worker process never runs git itself.
// Inputs arrive as environment variables (never interpolated into the script), and each step writes
// its outcome as JSON to $SPECKIT_RESULT_FILE for the activity to read.

import { CLONE_CACHE_FUNCTIONS } from './clone-cache.js';

const PRELUDE = 'set -euo pipefail\n';

/**
 * Saves the repository's state to $SPECKIT_CHECKPOINT_FILE for another host to resume from
 * (RESTORE_CHECKPOINT): a bundle of refs/speckit/checkpoint beyond the cloned commit, where the
 * checkpoint is HEAD or, with uncommitted work, a commit of the working tree made through an index
 * of its own, so the run's HEAD and index stay as they were. No file: nothing changed yet.
 */
const SAVE_CHECKPOINT = `
save_checkpoint() {
  rm -f "$SPECKIT_CHECKPOINT_FILE"
  # Cloned before checkpoints existed: there is no base to save against.
  git rev-parse -q --verify refs/speckit/base >/dev/null || return 0
  local tip index="$SPECKIT_CHECKPOINT_FILE.index"
  tip=$(git rev-parse HEAD)
  if [[ -n $(git status --porcelain --untracked-files=all) ]]; then
    GIT_INDEX_FILE=$index git read-tree HEAD
    GIT_INDEX_FILE=$index git add -A
    tip=$(git -c user.name=speckit -c user.email=speckit@localhost \\
      commit-tree "$(GIT_INDEX_FILE=$index git write-tree)" -p HEAD -m "speckit checkpoint")
    rm -f "$index"
  fi
  if [[ $tip == $(git rev-parse refs/speckit/base) ]]; then return 0; fi
  git update-ref refs/speckit/checkpoint "$tip"
  git bundle create -q "$SPECKIT_CHECKPOINT_FILE" refs/speckit/checkpoint ^refs/speckit/base
}
`;

/**
 * cwd: the run directory, after the clone. Another host ran this run's earlier steps: back to the
 * commit they cloned, then their checkpoint — committed on the feature branch, or as the working
 * tree's changes with HEAD and the index at the cloned commit, as the steps left them.
 */
const RESTORE_CHECKPOINT = `
restore_checkpoint() {
  git -C repo reset -q --hard "$SPECKIT_RESTORE_COMMIT"
  git -C repo update-ref refs/speckit/base HEAD
  if [[ -z \${SPECKIT_RESTORE_BUNDLE:-} ]]; then return 0; fi
  git -C repo fetch -q "$SPECKIT_RESTORE_BUNDLE" refs/speckit/checkpoint:refs/speckit/checkpoint
  if [[ -n \${SPECKIT_RESTORE_BRANCH:-} ]]; then
    git -C repo checkout -q -B "$SPECKIT_RESTORE_BRANCH" refs/speckit/checkpoint
  else
    git -C repo read-tree -u --reset refs/speckit/checkpoint
    git -C repo reset -q
  fi
}
`;

/**
 * cwd: the run directory. Re-running it after a partial clone starts from scratch. With
 * SPECKIT_RESTORE_COMMIT set it recreates the workspace another host had (RESTORE_CHECKPOINT). With
 * SPECKIT_CLONE_CACHE set the clone starts from the repository's mirror on this host (git/clone-cache),
 * refreshed first; a mirror that cannot be used costs only the time it took: the clone then comes
 * straight from the remote. Feature numbers the remote already has on <prefix>NNN-* branches are
 * reserved by an empty specs/NNN-* directory for the highest: Spec Kit's own numbering (the highest
 * number in specs/, plus one) then goes on after it, and git never commits an empty directory.
 */
export const CLONE = `${PRELUDE}${CLONE_CACHE_FUNCTIONS}${RESTORE_CHECKPOINT}
rm -rf repo
started=$(date +%s%N)
cache_state=off
if [[ -n \${SPECKIT_CLONE_CACHE:-} ]]; then
  if cache_clone; then
    echo "clone cache: $cache_state ($SPECKIT_CLONE_CACHE_KEY)"
    cache_evict || echo "clone cache: eviction failed" >&2
  else
    echo "clone cache: no usable mirror ($SPECKIT_CLONE_CACHE_KEY), cloning from the remote" >&2
    cache_state=bypassed
    rm -rf repo
  fi
  # The repository no longer needs the mirror.
  if [[ -n \${cache_fd:-} ]]; then exec {cache_fd}>&-; fi
fi
if [[ $cache_state == off || $cache_state == bypassed ]]; then
  git clone --branch "$SPECKIT_BASE_BRANCH" --single-branch --no-tags -- "$SPECKIT_REPO" repo
fi
clone_ms=$((($(date +%s%N) - started) / 1000000))
git -C repo update-ref refs/speckit/base HEAD
if [[ -n \${SPECKIT_RESTORE_COMMIT:-} ]]; then restore_checkpoint; fi
highest=0
while read -r _ ref; do
  name=\${ref#"refs/heads/$SPECKIT_BRANCH_PREFIX"}
  number=\${name%%-*}
  if [[ $number =~ ^[0-9]+$ ]] && ((10#$number > highest)); then highest=$((10#$number)); fi
done < <(git -C repo ls-remote --heads origin "refs/heads/$SPECKIT_BRANCH_PREFIX*")
if ((highest > 0)); then mkdir -p "repo/specs/$(printf '%03d' "$highest")-published-on-remote"; fi
jq -n --arg commit "$(git -C repo rev-parse refs/speckit/base)" --argjson highest "$highest" \\
  --arg cache "$cache_state" --argjson cloneMs "$clone_ms" \\
  '{baseCommit: $commit, highestRemoteFeature: $highest, cache: $cache, cloneMs: $cloneMs}' > "$SPECKIT_RESULT_FILE"
`;

/** cwd: the repository. Installs Spec Kit only when the repository does not carry it yet. */
export const INIT = `${PRELUDE}${SAVE_CHECKPOINT}
if [ -d .specify ]; then
  echo "Spec Kit already initialised (.specify/ present)"
  initialised=false
else
  specify init --here --force --non-interactive --ignore-agent-tools --script sh --integration "$SPECKIT_INTEGRATION"
  initialised=true
fi
jq -n --argjson initialised "$initialised" --arg version "$(specify --version 2>/dev/null | tail -n1)" \\
  '{initialised: $initialised, specifyVersion: $version}' > "$SPECKIT_RESULT_FILE"
save_checkpoint
`;

/** cwd: the repository. Commits everything the phases changed on the feature branch, if anything. */
export const COMMIT = `${PRELUDE}${SAVE_CHECKPOINT}
git checkout -q -B "$SPECKIT_BRANCH"
# Spec Kit's pointer to the current feature is per-checkout state, never part of the feature.
echo '.specify/feature.json' >> .git/info/exclude
git add -A
if git diff --cached --quiet; then
  echo "working tree unchanged: nothing to commit"
  jq -n '{changed: false}' > "$SPECKIT_RESULT_FILE"
  exit 0
fi
git diff --cached --stat | tee "$SPECKIT_ARTIFACTS_DIR/diff.stat"
git diff --cached > "$SPECKIT_ARTIFACTS_DIR/diff.patch"
git commit -q -F - <<< "$SPECKIT_COMMIT_MESSAGE"
save_checkpoint
jq -n --arg commit "$(git rev-parse HEAD)" '{changed: true, commit: $commit}' > "$SPECKIT_RESULT_FILE"
`;

/**
 * cwd: the repository. Pushes the feature branch to the remote it was cloned from, creating it: a
 * branch the remote already has for another commit is never overwritten (another run, or a person,
 * made it), the next free name is taken instead (<branch>-2, -3, ...). A branch that already holds
 * this very commit is this step's own earlier push.
 */
export const PUSH = `${PRELUDE}
head=$(git rev-parse HEAD)
for n in $(seq 1 20); do
  branch=$SPECKIT_BRANCH
  if ((n > 1)); then branch="$SPECKIT_BRANCH-$n"; fi
  remote=$(git ls-remote origin "refs/heads/$branch" | cut -f1)
  if [[ $remote == "$head" ]]; then pushed=$branch; break; fi
  if [[ -n $remote ]]; then continue; fi
  # An empty expected value: the push creates the branch or fails, never moves another's.
  if out=$(git push --porcelain --force-with-lease="refs/heads/$branch:" origin "HEAD:refs/heads/$branch" 2>&1); then
    echo "$out"
    pushed=$branch
    break
  fi
  echo "$out" >&2
  # Created by someone else since ls-remote looked: try the next name; any other refusal is final.
  grep -q 'stale info' <<<"$out" || exit 1
done
if [[ -z \${pushed:-} ]]; then echo "no free branch name after $SPECKIT_BRANCH-20 on the remote" >&2; exit 1; fi
jq -n --arg branch "$pushed" --arg commit "$head" '{pushed: true, branch: $branch, commit: $commit}' > "$SPECKIT_RESULT_FILE"
`;

/**
 * cwd: the repository. Runs the agent CLI given as arguments; once it succeeded, saves the
 * checkpoint the next host would resume from. Exits with the agent's status.
 */
export const AGENT_PHASE = `${PRELUDE}${SAVE_CHECKPOINT}
"$@" || exit
save_checkpoint
`;
