// The input of a `specKitRun` workflow and its validation. Shared by the client (which rejects bad
// input before anything starts) and the workflow (which checks again, since `temporal workflow
// start` bypasses the client). Pure code: it is bundled into the deterministic workflow sandbox.
import * as z from 'zod/mini';
import '../zod-english.js';

export const AGENT_BACKENDS = ['codex', 'claude', 'gemini', 'copilot', 'scripted'] as const;
export type AgentBackend = (typeof AGENT_BACKENDS)[number];

/** Spec Kit phases, in the order Spec Kit runs them. */
export const SPEC_KIT_PHASES = ['specify', 'clarify', 'plan', 'tasks', 'analyze', 'implement'] as const;
export type SpecKitPhase = (typeof SPEC_KIT_PHASES)[number];

export const PUBLISH_MODES = ['branch', 'pr', 'none'] as const;
export const CLARIFICATION_POLICIES = ['fail', 'ignore', 'wait'] as const;
export const CONSTITUTION_POLICIES = ['ignore', 'warn', 'require'] as const;
export const DEFAULT_PHASES: SpecKitPhase[] = ['specify', 'plan', 'tasks'];
export const MAX_SPECIFY_TEXT_CHARS = 20_000;

/** Which earlier phase each phase needs, as in Spec Kit's own prerequisite checks. */
const PREREQUISITE: Partial<Record<SpecKitPhase, SpecKitPhase>> = {
  clarify: 'specify',
  plan: 'specify',
  tasks: 'plan',
  analyze: 'tasks',
  implement: 'tasks',
};

/**
 * The ranges of the scripted agent's numeric test hooks, bounds included. The agent checks the
 * same (LIMITS in images/job/scripted-agent/scripted_agent/hooks.py) and
 * test/unit/scripted-agent.test.ts fails when the two differ.
 */
export const SCRIPTED_HOOK_LIMITS = {
  delaySeconds: { min: 0, max: 3600 },
  failExitCode: { min: 1, max: 255 },
  clarifications: { min: 0, max: 5 },
} as const;
const inHookRange = (n: z.ZodMiniNumber, { min, max }: { min: number; max: number }) =>
  z.optional(n.check(z.minimum(min), z.maximum(max)));

/**
 * `agent.options`: test hooks of the offline scripted agent (slow, failing or idle phases,
 * clarification markers, echoed variables), for tests and demos only. A worker refuses them unless
 * started with SPECKIT_TEST_HOOKS=1 (agents/test-hooks.ts).
 */
const scriptedOptions = z.strictObject({
  delaySeconds: inHookRange(z.number(), SCRIPTED_HOOK_LIMITS.delaySeconds),
  failPhase: z.optional(z.enum(SPEC_KIT_PHASES)),
  failExitCode: inHookRange(z.number().check(z.int()), SCRIPTED_HOOK_LIMITS.failExitCode),
  clarifications: inHookRange(z.number().check(z.int()), SCRIPTED_HOOK_LIMITS.clarifications),
  noop: z.optional(z.boolean()),
  /** Variables the agent prints as NAME=value: how tests prove secrets are masked. */
  echoEnv: z.optional(z.array(z.string().check(z.regex(/^[A-Z_][A-Z0-9_]*$/))).check(z.maxLength(10))),
});

const agentSchema = z.strictObject({
  /** Absent: the worker's configured agent (SPECKIT_AGENT). */
  backend: z.optional(z.enum(AGENT_BACKENDS)),
  model: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** Appended to the agent CLI's argv, after Spec Kit's own arguments. */
  extraArgs: z.optional(z.array(z.string().check(z.maxLength(500))).check(z.maxLength(20))),
  options: z.optional(scriptedOptions),
});

// Credentials belong in the worker's environment, never in the input (it is stored in history).
const repoSchema = z.string().check(
  z.trim(),
  z.minLength(1, 'repo is empty: give a git URL (https://, ssh://, git@host:owner/repo) or an absolute path'),
  z.maxLength(2048),
  z.refine((r) => !/\s/.test(r), 'repo must not contain whitespace'),
  z.refine(
    (r) => !/^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(r) || /^ssh:\/\/[^:/@]+@/i.test(r),
    'repo URL must not carry credentials: put the token in GITHUB_TOKEN on the worker instead',
  ),
  z.refine(
    (r) =>
      /^((https?|ssh|git):\/\/[^/]+|file:\/\/\/)/i.test(r) ||
      /^[\w.-]+@[\w.-]+:.+/.test(r) ||
      r.startsWith('/'),
    'repo must be an https://, ssh://, git://, file:// URL, user@host:path, or an absolute path',
  ),
);

// A conservative subset of git-check-ref-format, enough to refuse typos and shell tricks early.
const branchSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(200),
    z.regex(
      /^(?!\/|.*\/\/|.*\.\.|.*@\{|.*\.lock$|.*[/.]$|-)[A-Za-z0-9._/-]+$/,
      'is not a valid git branch name',
    ),
  );

const WEEK_SECONDS = 7 * 86_400;
const MAX_WAIT_SECONDS = 90 * 86_400;

/** Whole seconds within [min, max]; `fallback` when absent. */
const seconds = (min: number, max: number, fallback: number) =>
  z._default(z.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);

/** Per-run step timeouts, in seconds; a step that times out has its container stopped. */
const timeoutsSchema = z.strictObject({
  agentPhaseSeconds: seconds(10, 86_400, 1800),
  gitStepSeconds: seconds(10, 7200, 300),
  heartbeatSeconds: seconds(5, 600, 30),
  /** An agent that prints nothing and changes no file for this long is stopped (AgentStalled). */
  agentStallSeconds: seconds(5, 86_400, 300),
  /** How long a run with `clarification: wait` waits for answers before it fails (default 7 days). */
  clarificationWaitSeconds: seconds(10, MAX_WAIT_SECONDS, WEEK_SECONDS),
  /** How long a run with `requireApproval` waits for approve or reject before it fails (default 7 days). */
  approvalWaitSeconds: seconds(10, MAX_WAIT_SECONDS, WEEK_SECONDS),
  /**
   * How long a step waits for the worker host holding the run's workspace to take it; past that,
   * a host that stopped saying it is alive is given up and the run moves to another host.
   */
  hostWaitSeconds: seconds(10, 3600, 120),
});
export type StepTimeouts = z.output<typeof timeoutsSchema>;

/** The phases a run asked for, in Spec Kit's order, each with the phase it needs. */
const phasesSchema = z
  .pipe(
    z.array(z.enum(SPEC_KIT_PHASES)).check(z.minLength(1)),
    z.transform((phases) => SPEC_KIT_PHASES.filter((p) => phases.includes(p))),
  )
  .check(
    z.superRefine((phases, ctx) => {
      for (const phase of phases) {
        const needed = PREREQUISITE[phase];
        if (needed && !phases.includes(needed)) {
          ctx.addIssue({ code: 'custom', message: `phase ${phase} needs phase ${needed} in the same run` });
        }
      }
      if (!phases.includes('specify')) {
        ctx.addIssue({ code: 'custom', message: 'phases must include specify' });
      }
    }),
  );

export const runInputSchema = z
  .strictObject({
    repo: repoSchema,
    specifyText: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'the feature description is empty'),
        z.maxLength(
          MAX_SPECIFY_TEXT_CHARS,
          `the feature description is longer than ${MAX_SPECIFY_TEXT_CHARS} characters`,
        ),
      ),
    baseBranch: z._default(branchSchema, 'main'),
    phases: z._default(phasesSchema, DEFAULT_PHASES),
    // Absent: the worker's configured agent (SPECKIT_AGENT, SPECKIT_AGENT_MODEL) is used.
    agent: z.optional(agentSchema),
    publish: z._default(
      z.strictObject({
        mode: z._default(z.enum(PUBLISH_MODES), 'branch'),
        /** Pull requests only; absent values come from the worker's configuration. */
        draft: z.optional(z.boolean()),
        labels: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(50))).check(z.maxLength(10))),
        title: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
      }),
      { mode: 'branch' },
    ),
    // What to do with [NEEDS CLARIFICATION] markers the spec still holds once specify (and clarify,
    // when it runs) are done: fail the run with the questions, go on and list them, or wait for an
    // operator's answers (the answerClarifications update).
    clarification: z._default(z.enum(CLARIFICATION_POLICIES), 'ignore'),
    /** Stop before publishing until an operator approves (or rejects) through an update. */
    requireApproval: z._default(z.boolean(), false),
    // How much a constitution that is still Spec Kit's template matters: not at all, said in the run's
    // record and pull request, or the run fails before the phases.
    constitution: z._default(z.enum(CONSTITUTION_POLICIES), 'warn'),
    timeouts: z._default(timeoutsSchema, timeoutsSchema.parse({})),
  })
  .check(
    z.refine((r) => !(r.requireApproval && r.publish.mode === 'none'), {
      path: ['requireApproval'],
      message: 'publish mode none publishes nothing, so there is nothing to approve: use branch or pr',
    }),
  );

export type AgentInput = z.output<typeof agentSchema>;
export type ConstitutionPolicy = (typeof CONSTITUTION_POLICIES)[number];
/** The agent a run uses: its input resolved against the worker's configuration (agents/resolve-agent). */
export type AgentConfig = AgentInput & { backend: AgentBackend };
export type RunInputRaw = z.input<typeof runInputSchema>;
export type RunInput = z.output<typeof runInputSchema>;

export class InvalidRunInputError extends Error {
  override name = 'InvalidRunInputError';
  constructor(readonly problems: string[]) {
    super(`invalid run input:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function parseRunInput(raw: unknown): RunInput {
  const parsed = runInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidRunInputError(
      parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)),
    );
  }
  return parsed.data;
}

/** Docker names, paths and labels are derived from the run id, so keep it to a safe alphabet. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
