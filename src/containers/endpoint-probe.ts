// Does the agent's endpoint answer from where the agent will run? Asked from a short-lived
// container on the job network, since that network (a gateway's, a proxy's, a namespace's) is
// what the agent sees, not the worker's. Any HTTP answer counts: a 404 or 401 still proves the
// server is there; the key is checked by the agent itself.
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { jobLabels, jobName } from './identity.js';

export interface ProbeRequest {
  runId: string;
  image: string;
  network: string;
  user: string;
  url: string;
  /** The probe's whole budget, container start to verdict. */
  timeoutMs: number;
}

// Three tries, ten seconds each at most: a gateway that is starting gets a moment, a dead one is
// known well within the budget.
const PROBE = `
const [url, budget] = process.argv.slice(1);
const deadline = Date.now() + Number(budget);
let why = 'no answer';
for (let i = 0; i < 3 && Date.now() < deadline; i++) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(Math.min(10000, deadline - Date.now())) });
    console.log('HTTP ' + res.status);
    process.exit(0);
  } catch (e) {
    why = e.cause?.code ?? e.cause?.message ?? e.message;
  }
  await new Promise((r) => setTimeout(r, 2000));
}
console.log(why);
process.exit(1);
`;

/** Undefined when the endpoint answered; else why not, in a few words. */
export async function probeEndpoint(docker: Docker, p: ProbeRequest): Promise<string | undefined> {
  const identity = { runId: p.runId, step: 'endpoint-probe', attempt: 1 };
  // A retried preflight may find the probe its previous attempt could not remove.
  await docker
    .getContainer(jobName(identity))
    .remove({ force: true })
    .catch(() => undefined);
  const container = await docker.createContainer({
    name: jobName(identity),
    Image: p.image,
    Cmd: ['node', '--input-type=module', '-e', PROBE, p.url, String(p.timeoutMs - 5000)],
    User: p.user,
    Tty: true,
    Labels: jobLabels(identity, new Date(Date.now() + 3600_000)),
    HostConfig: {
      NetworkMode: p.network,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: 64,
      Memory: 256 * 1024 * 1024,
    },
  });
  try {
    try {
      await container.start();
    } catch (err) {
      // e.g. joining the network of a container that is not running
      return `the job network ${p.network} cannot be joined: ${(err as { json?: { message?: string } }).json?.message ?? (err as Error).message}`;
    }
    const timeout = sleep(p.timeoutMs, undefined, { ref: false });
    const exit = (await Promise.race([container.wait(), timeout])) as { StatusCode: number } | undefined;
    if (!exit) return `no verdict within ${p.timeoutMs / 1000}s`;
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    // A TTY keeps the output one plain stream: the verdict is its last line.
    const said = logs.trim().split('\n').at(-1)?.trim() ?? '';
    return exit.StatusCode === 0 ? undefined : said || `probe exited ${exit.StatusCode}`;
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
