// The model API stand-in (test/support/model-api/server.mjs) as a plain node process on this host's
// loopback, for checking the shapes it sends with the vendors' own SDKs (test/unit/model-api-*.test.ts).
// No agent CLI ever talks to it here: they reach it in a container of its own (./model-api.ts).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { LoggedRequest, ModelScenario } from './model-api.js';

export interface ModelApiOnHost {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** STANDIN_DIR: scenario.json, requests.jsonl, ready. */
  dir: string;
  /** The mode of the requests from now on; the key stays the one the stand-in started with. */
  setMode(mode: ModelScenario['mode']): Promise<void>;
  /** Every request so far, in order. */
  requests(): Promise<LoggedRequest[]>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/**
 * The JSON Schema of an object whose properties have the given types, `required` among them: how
 * the agent CLIs declare their tools' parameters.
 */
export function objectSchema(types: Record<string, string>, required: string[]) {
  return {
    type: 'object' as const,
    properties: Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }])),
    required,
  };
}

/** Starts the stand-in in mode 'work', accepting `key` as the one valid API key. */
export async function startModelApiOnHost(key: string): Promise<ModelApiOnHost> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'model-api-host-'));
  const setMode = (mode: ModelScenario['mode']) =>
    writeFile(path.join(dir, 'scenario.json'), JSON.stringify({ mode, key } satisfies ModelScenario));
  await setMode('work');
  const port = await freePort();
  const server = spawn(process.execPath, [path.resolve('test/support/model-api/server.mjs')], {
    env: { ...process.env, STANDIN_DIR: dir, STANDIN_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(path.join(dir, 'ready'), 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    dir,
    setMode,
    async requests() {
      const text = await readFile(path.join(dir, 'requests.jsonl'), 'utf8');
      return text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as LoggedRequest);
    },
    stop,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function waitFor(file: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (
      await readFile(file).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the stand-in did not write ${file} within ${ms} ms`);
}
