// What `run` asks Temporal's HTTP API (the frontend's HTTP port, 7243 by default) when
// TEMPORAL_HTTP_URL is set: to start the run, and whether a worker polls its task queue. A request
// each, and no gRPC client to load, which is most of what a CLI start costs otherwise
// (@temporalio/client's protobuf definitions alone). The start is the one the SDK sends (client.ts
// startValidRun): the input as one json/plain payload (the API's payload shorthand), the run's
// queued search attributes, a request id that makes a retry harmless.
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import type { Config } from '../config.js';
import { isPolling } from '../pollers.js';
import { newRunId, queuedRunAttributes, runUiUrl, type StartedRun, WORKFLOW_TYPE } from '../run/identity.js';
import type { ValidRunInput } from '../run/valid-input.js';
import { CliError } from './cli-error.js';

/** A local server answers in milliseconds; a remote one within a few seconds. */
const CALL_TIMEOUT_MS = 10_000;

type Answer = { status: number; text: string };

export async function startOverHttp(
  httpUrl: string,
  temporal: Config['temporal'],
  input: ValidRunInput,
  runId = newRunId(),
): Promise<StartedRun> {
  const url = apiUrl(httpUrl, temporal, `workflows/${encodeURIComponent(runId)}`);
  const body = JSON.stringify({
    workflowType: { name: WORKFLOW_TYPE },
    taskQueue: { name: temporal.taskQueue },
    input: [input],
    searchAttributes: { indexedFields: queuedRunAttributes(input.repo) },
    requestId: crypto.randomUUID(),
    identity: `${process.pid}@${os.hostname()}`,
  });
  let response: Answer;
  try {
    response = await call(url, body);
  } catch (err) {
    throw new CliError(
      `Temporal's HTTP API at ${httpUrl} is unreachable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ` +
        `start Temporal (\`npm run stack:up\`), or fix TEMPORAL_HTTP_URL, or unset it to start runs over gRPC at ${temporal.address}`,
    );
  }
  if (response.status !== 200) throw refused(response, httpUrl, runId);
  return { runId, workflowId: runId, uiUrl: runUiUrl(temporal, runId) };
}

/** How many workers poll the run queue now (DescribeTaskQueue); undefined when Temporal does not say. */
export async function pollingWorkersOverHttp(
  httpUrl: string,
  temporal: Config['temporal'],
): Promise<number | undefined> {
  const url = apiUrl(httpUrl, temporal, `task-queues/${encodeURIComponent(temporal.taskQueue)}`);
  const response = await call(url).catch(() => undefined);
  if (response?.status !== 200) return undefined;
  let pollers: { lastAccessTime?: string }[] | undefined;
  try {
    ({ pollers } = JSON.parse(response.text) as { pollers?: { lastAccessTime?: string }[] });
  } catch {
    return undefined;
  }
  return (pollers ?? []).filter((p) => isPolling(p.lastAccessTime ? new Date(p.lastAccessTime) : undefined))
    .length;
}

function apiUrl(httpUrl: string, temporal: Config['temporal'], path: string): URL {
  const base = httpUrl.endsWith('/') ? httpUrl : `${httpUrl}/`;
  return new URL(`api/v1/namespaces/${encodeURIComponent(temporal.namespace)}/${path}`, base);
}

/**
 * A POST with `body`, else a GET. node:http rather than fetch: Node 20 loads fetch's implementation
 * (undici) on first use, which takes longer than the request.
 */
function call(url: URL, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        headers:
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: CALL_TIMEOUT_MS,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Temporal's answer is a google.rpc.Status ({code, message}); anything else is not Temporal. */
function refused(response: Answer, httpUrl: string, runId: string): CliError {
  const { status, text } = response;
  let message: unknown;
  try {
    message = (JSON.parse(text) as { message?: unknown }).message;
  } catch {
    message = undefined;
  }
  if (typeof message === 'string') {
    return new CliError(`Temporal did not start run ${runId}: ${message} (HTTP ${status})`);
  }
  return new CliError(
    `${httpUrl} answered HTTP ${status} (${text.slice(0, 200).trim()}): TEMPORAL_HTTP_URL must be ` +
      "Temporal's HTTP API, the frontend's HTTP address (port 7243 by default)",
  );
}
