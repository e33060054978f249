"""Offline stand-in for an LLM coding agent, driving Spec Kit's real scripts and templates.

Usage: scripted-agent <specify|plan|tasks|clarify|analyze|implement> [arguments...]

It does what `codex exec "$speckit-<phase> <arguments>"` would do, with deterministic
content derived from the feature description, so the pipeline can be tested without a
model. Run it from the root of a repository initialised with `specify init --script sh`.
It is a test and demo tool: the job image ships it for `npm run demo` and the tests.

Environment (all optional):
  SCRIPTED_AGENT_DATE            date written into documents (YYYY-MM-DD; default: today, UTC)
  SPECIFY_FEATURE_DIRECTORY      feature directory for later phases (else .specify/feature.json)
and the test hooks (hooks.py), which a worker sets only when started with SPECKIT_TEST_HOOKS=1:
  SCRIPTED_AGENT_DELAY_SECONDS   sleep this long before the phase starts (SIGTERM exits 143)
  SCRIPTED_AGENT_FAIL_PHASE      fail this phase before changing anything ...
  SCRIPTED_AGENT_FAIL_EXIT_CODE  ... with this exit code (default 1)
  SCRIPTED_AGENT_NOOP            1/true: the phase changes nothing and exits 0 (after the
                                 delay and the fail option), as an agent with nothing to do
  SCRIPTED_AGENT_CLARIFICATIONS  specify leaves this many [NEEDS CLARIFICATION] markers
  SCRIPTED_AGENT_ECHO_ENV        comma-separated variable names printed as NAME=value

Modules: cli (usage, signals, exit codes), hooks (the test hooks and their limits), phases/
(one module per Spec Kit phase), speckit (Spec Kit's bash scripts), spec and names (what the
documents are derived from), markdown (section-wise template editing), files, context, errors.
"""
