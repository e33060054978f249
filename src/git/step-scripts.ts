// The git steps, as bash run inside a job container: the worker process never runs git itself.
// Inputs arrive as environment variables (never interpolated into the script), and each step writes
// its outcome as JSON to $SPECKIT_RESULT_FILE for the activity to read.

const PRELUDE = 'set -euo pipefail\n';

/** cwd: the run directory. Re-running it after a partial clone starts from scratch. */
export const CLONE = `${PRELUDE}
rm -rf repo
git clone --branch "$SPECKIT_BASE_BRANCH" --single-branch --no-tags -- "$SPECKIT_REPO" repo
jq -n --arg commit "$(git -C repo rev-parse HEAD)" '{baseCommit: $commit}' > "$SPECKIT_RESULT_FILE"
`;

/** cwd: the repository. Installs Spec Kit only when the repository does not carry it yet. */
export const INIT = `${PRELUDE}
if [ -d .specify ]; then
  echo "Spec Kit already initialised (.specify/ present)"
  initialised=false
else
  specify init --here --force --non-interactive --ignore-agent-tools --script sh --integration "$SPECKIT_INTEGRATION"
  initialised=true
fi
jq -n --argjson initialised "$initialised" --arg version "$(specify --version 2>/dev/null | tail -n1)" \\
  '{initialised: $initialised, specifyVersion: $version}' > "$SPECKIT_RESULT_FILE"
`;

/** cwd: the repository. Commits everything the phases changed on the feature branch, if anything. */
export const COMMIT = `${PRELUDE}
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
jq -n --arg commit "$(git rev-parse HEAD)" '{changed: true, commit: $commit}' > "$SPECKIT_RESULT_FILE"
`;

/** cwd: the repository. Pushes the feature branch to the remote it was cloned from. */
export const PUSH = `${PRELUDE}
git push --porcelain origin "HEAD:refs/heads/$SPECKIT_BRANCH"
jq -n --arg commit "$(git rev-parse HEAD)" '{pushed: true, commit: $commit}' > "$SPECKIT_RESULT_FILE"
`;
