// A real S3-compatible server for the artifact archive's tests: moto's standalone server, which
// scripts/setup.sh installs in its own virtualenv. Each call starts a fresh, empty one on a free
// loopback port; it accepts any credentials.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

export interface S3Server {
  endpoint: string;
  /** Credentials moto takes (any would do); long enough that the redactor masks them like real ones. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** A client for the test's own checks: listing, reading and creating buckets. */
  client: S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

// As in scripts/lib.sh (MOTO_VENV).
const cacheDir = process.env.SPECKIT_CACHE_DIR ?? path.join(os.homedir(), '.cache/speckit-automation');
export const MOTO_SERVER = path.join(cacheDir, 'venvs/moto/bin/moto_server');

const SETPRIV = '/usr/bin/setpriv';

export const TEST_CREDENTIALS = {
  accessKeyId: 'speckit-test-access-key-id',
  secretAccessKey: 'speckit-test-secret-access-key',
};

/** `env` is moto's own settings (e.g. INITIAL_NO_AUTH_ACTION_COUNT=0 to check credentials). */
export async function startS3Server(env: Record<string, string> = {}): Promise<S3Server> {
  if (!existsSync(MOTO_SERVER)) {
    throw new Error(`${MOTO_SERVER} not found: run \`npm run setup\` (scripts/setup.sh installs moto)`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = [MOTO_SERVER, '-H', '127.0.0.1', '-p', String(port)];
  // A test process that dies before stop() (vitest ends its workers without exit hooks) must not
  // leave the server running: setpriv (util-linux) has the kernel stop it when its parent goes.
  const command = existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'SIGTERM', ...server] : server;
  const child = spawn(command[0] as string, command.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilAnswering(endpoint, child, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
  });
  return {
    endpoint,
    credentials: TEST_CREDENTIALS,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      client.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`moto_server exited with ${child.exitCode} before answering:\n${output()}`);
    }
    const answered = await fetch(`${endpoint}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) return;
    if (Date.now() > deadline)
      throw new Error(`moto_server did not answer on ${endpoint} in 30 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A port nothing listens on now (the kernel's pick); moto takes it a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
