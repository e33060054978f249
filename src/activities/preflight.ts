import { ApplicationFailure } from '@temporalio/common';
import type Docker from 'dockerode';
import { type AgentKeys, agentKey, keySpec } from '../agents/agent-environment.js';
import { driverFor } from '../agents/drivers.js';
import { resolveAgent } from '../agents/resolve-agent.js';
import { refusedTestHooks } from '../agents/test-hooks.js';
import type { Config } from '../config.js';
import { probeEndpoint } from '../containers/endpoint-probe.js';
import { DockerUnavailableError } from '../containers/errors.js';
import type { JobRunner } from '../containers/job-runner.js';
import { assertPublishable } from '../publish-target.js';
import type { RunInput } from '../run/input.js';
import { failure, fromJobError } from './failures.js';
import { unwritableLocalRemote } from './local-remote-access.js';

const PROBE_TIMEOUT_MS = 60_000;

export interface PreflightDeps {
  config: Pick<
    Config,
    'testHooks' | 'jobUser' | 'jobImage' | 'jobNetwork' | 'defaultAgent' | 'agentEndpoint'
  >;
  jobs: Pick<JobRunner, 'checkReady'>;
  /** Runs the endpoint probe's container. */
  docker: Docker;
  agentKeys: AgentKeys;
}

export function createPreflight(deps: PreflightDeps) {
  return {
    /**
     * Before anything starts: the input can be published (a local remote is writable by the job
     * user), the Docker daemon answers, the job image is there, and the agent has its key and can
     * reach its endpoint. None of these is retried here: a run that cannot start should say so
     * now, not after hours.
     */
    async preflight({ input, runId }: { input: RunInput; runId: string }): Promise<void> {
      const refused = refusedTestHooks(input.agent, deps.config.testHooks);
      if (refused) throw failure('InvalidInput', refused);
      try {
        assertPublishable(input);
      } catch (err) {
        throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidInput');
      }
      if (input.publish.mode !== 'none') {
        const unwritable = await unwritableLocalRemote(input.repo, deps.config.jobUser);
        if (unwritable) throw failure('RepositoryNotWritable', unwritable);
      }
      try {
        await deps.jobs.checkReady(deps.config.jobImage);
      } catch (err) {
        if (err instanceof DockerUnavailableError)
          throw ApplicationFailure.nonRetryable(err.message, 'DockerUnavailable');
        throw fromJobError(err);
      }
      const agent = resolveAgent(input.agent, deps.config.defaultAgent);
      const driver = driverFor(agent.backend);
      const endpoint = deps.config.agentEndpoint;
      const unsupported = driver.unsupportedEndpoint?.(endpoint, agent.model);
      if (unsupported) throw failure('InvalidInput', `agent ${agent.backend}: ${unsupported}`);
      const key = keySpec(driver, endpoint);
      if (key && !key.optional && !agentKey(driver, endpoint, deps.agentKeys)) {
        throw failure(
          'AgentKeyMissing',
          `agent ${agent.backend} needs an API key: set ${key.from.join(' or ')} in the worker's environment (README: Agents)`,
        );
      }
      const url = endpoint.baseUrl ?? driver.defaultBaseUrl;
      if (!url) return;
      const problem = await probeEndpoint(deps.docker, {
        runId,
        image: deps.config.jobImage,
        network: deps.config.jobNetwork,
        user: deps.config.jobUser,
        url,
        timeoutMs: PROBE_TIMEOUT_MS,
      });
      if (problem) {
        throw failure(
          'AgentEndpointUnreachable',
          `agent ${agent.backend}: its endpoint ${url} does not answer from the job network ${deps.config.jobNetwork} (${problem}). ` +
            'Check SPECKIT_AGENT_BASE_URL and SPECKIT_JOB_NETWORK, and that the gateway is up.',
        );
      }
    },
  };
}
