// The model API stand-in (test/support/model-api/server.mjs) in a container of its own with no
// network but loopback. Job containers join its network namespace (SPECKIT_JOB_NETWORK=
// container:<name>), so the agent CLIs they run reach this stand-in on 127.0.0.1 and nothing else.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { eventually } from './test-stack.js';

export type ModelScenario = { mode: 'work' | 'nothing' | 'stall'; key: string };

export interface LoggedRequest {
  provider: 'openai' | 'anthropic' | 'gemini' | null;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  keyMatched: boolean;
  mode: ModelScenario['mode'];
  body: unknown;
}

export interface ModelApi {
  /** The container whose network namespace the job containers join. */
  name: string;
  /** SPECKIT_JOB_NETWORK for the worker. */
  network: string;
  /** http://127.0.0.1:<port>, as seen from inside the namespace. */
  origin: string;
  setScenario(s: ModelScenario): Promise<void>;
  requests(): Promise<LoggedRequest[]>;
  /** Stops the server (the namespace goes with it): the endpoint is unreachable from then on. */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

const PORT = 8080;

export async function startModelApi(
  image = process.env.SPECKIT_JOB_IMAGE ?? 'speckit-job:local',
  scenario: ModelScenario = { mode: 'work', key: 'test-key' },
): Promise<ModelApi> {
  const docker = new Docker();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'speckit-model-api-'));
  await chmod(dir, 0o777); // the job image's user writes the request log
  const setScenario = (s: ModelScenario) => writeFile(path.join(dir, 'scenario.json'), JSON.stringify(s));
  await setScenario(scenario);
  const name = `speckit-model-api-${path.basename(dir).slice(-6).toLowerCase()}`;
  const container = await docker.createContainer({
    name,
    Image: image,
    Cmd: ['node', '/opt/model-api/server.mjs'],
    Env: ['STANDIN_DIR=/standin', `STANDIN_PORT=${PORT}`],
    Labels: { 'speckit.test': 'model-api' },
    HostConfig: {
      NetworkMode: 'none',
      Binds: [`${path.resolve('test/support/model-api')}:/opt/model-api:ro`, `${dir}:/standin`],
    },
  });
  await container.start();
  await eventually(
    () => readFile(path.join(dir, 'ready'), 'utf8'),
    30_000,
    'the model API stand-in to listen',
  );
  return {
    name,
    network: `container:${name}`,
    origin: `http://127.0.0.1:${PORT}`,
    setScenario,
    async requests() {
      const text = await readFile(path.join(dir, 'requests.jsonl'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LoggedRequest);
    },
    async stop() {
      await container.stop({ t: 1 }).catch(() => undefined);
    },
    async remove() {
      await container.remove({ force: true }).catch(() => undefined);
    },
  };
}
