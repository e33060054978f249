// Starts a run through Temporal's HTTP API (the frontend's HTTP port, 7243 by default) when
// TEMPORAL_HTTP_URL is set: one request, and no gRPC client to load first, which is most of what a
// CLI start costs otherwise (@temporalio/client's protobuf definitions alone). The request is the
// one the SDK sends (client.ts startValidRun): the input as one json/plain payload (the API's
// payload shorthand), the run's queued search attributes, a request id that makes a retry harmless.
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import type { Config } from '../config.js';
import { newRunId, queuedRunAttributes, runUiUrl, type StartedRun, WORKFLOW_TYPE } from '../run/identity.js';
import type { ValidRunInput } from '../run/valid-input.js';
import { CliError } from './cli-error.js';

/** A local server answers in milliseconds; a remote one within a few seconds. */
const START_TIMEOUT_MS = 10_000;

export async function startOverHttp(
  httpUrl: string,
  temporal: Config['temporal'],
  input: ValidRunInput,
  runId = newRunId(),
): Promise<StartedRun> {
  const path = `api/v1/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(runId)}`;
  const url = new URL(path, httpUrl.endsWith('/') ? httpUrl : `${httpUrl}/`);
  const body = JSON.stringify({
    workflowType: { name: WORKFLOW_TYPE },
    taskQueue: { name: temporal.taskQueue },
    input: [input],
    searchAttributes: { indexedFields: queuedRunAttributes(input.repo) },
    requestId: crypto.randomUUID(),
    identity: `${process.pid}@${os.hostname()}`,
  });
  let response: { status: number; text: string };
  try {
    response = await post(url, body);
  } catch (err) {
    throw new CliError(
      `Temporal's HTTP API at ${httpUrl} is unreachable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ` +
        `start Temporal (\`npm run stack:up\`), or fix TEMPORAL_HTTP_URL, or unset it to start runs over gRPC at ${temporal.address}`,
    );
  }
  if (response.status !== 200) throw refused(response, httpUrl, runId);
  return { runId, workflowId: runId, uiUrl: runUiUrl(temporal, runId) };
}

/**
 * node:http rather than fetch: Node 20 loads fetch's implementation (undici) on first use, which
 * takes longer than the request.
 */
function post(url: URL, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: START_TIMEOUT_MS,
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
function refused(response: { status: number; text: string }, httpUrl: string, runId: string): CliError {
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
