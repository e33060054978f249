// What `run` asks Temporal's HTTP API (the frontend's HTTP port, 7243 by default) when
// TEMPORAL_HTTP_URL is set: to start the run, whether a worker polls its task queue, and (`--wait
// --json`) how the run ended. A request each, and no gRPC client to load, which is most of what a
// CLI costs otherwise (@temporalio/client's protobuf definitions alone). The start is the one the
// SDK sends (client.ts startValidRun): the input as one json/plain payload (the API's payload
// shorthand, which its answers use too), the run's queued search attributes, a request id that
// makes a retry harmless.
import http from 'node:http';
import os from 'node:os';
import type { Config } from '../config.js';
import { isPolling } from '../pollers.js';
import { newRunId, queuedRunAttributes, runUiUrl, type StartedRun, WORKFLOW_TYPE } from '../run/identity.js';
import type { RunSummary } from '../run/summary.js';
import type { ValidRunInput } from '../run/valid-input.js';
import { CliError } from './cli-error.js';

/** A local server answers in milliseconds; a remote one within a few seconds. */
const CALL_TIMEOUT_MS = 10_000;
/** A long poll of a run's history returns empty after Temporal's long-poll interval (20 s by default). */
const LONG_POLL_TIMEOUT_MS = 90_000;

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
  answerOf(response, httpUrl, `start run ${runId}`);
  return { runId, workflowId: runId, uiUrl: runUiUrl(temporal, runId) };
}

/** How a run that did not complete ended, in the CLI's words, by its close event's type. */
const ENDINGS: Record<string, string> = {
  FAILED: 'failed',
  CANCELED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed out',
};

interface CloseEvent {
  /** EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, …_FAILED, …_CANCELED, …_TERMINATED, …_TIMED_OUT. */
  eventType?: string;
  workflowExecutionCompletedEventAttributes?: { result?: RunSummary[] };
}

/** A request about one run (a path under its workflow), answered with Temporal's JSON. */
type AskAboutRun = (path: string, body?: string, timeoutMs?: number) => Promise<unknown>;

/**
 * Waits for the run to close, as client.ts `result` does: the summary it returned, or, for a run
 * that failed, was cancelled or terminated, the answer of its status query.
 */
export async function runResultOverHttp(
  httpUrl: string,
  temporal: Config['temporal'],
  runId: string,
): Promise<RunSummary> {
  const ask: AskAboutRun = async (path, body, timeoutMs) => {
    const url = apiUrl(httpUrl, temporal, `workflows/${encodeURIComponent(runId)}/${path}`);
    try {
      return answerOf(await call(url, body, timeoutMs), httpUrl, `report on run ${runId}`);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(
        `lost Temporal's HTTP API at ${httpUrl} while waiting for run ${runId} ` +
          `(${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the run goes on: ` +
          `follow it with \`speckit-automation status ${runId}\``,
      );
    }
  };
  const closed = await closeEvent(ask);
  const completed = closed.workflowExecutionCompletedEventAttributes?.result?.[0];
  if (completed) return completed;
  const ended = ENDINGS[(closed.eventType ?? '').replace('EVENT_TYPE_WORKFLOW_EXECUTION_', '')] ?? 'closed';
  let queryResult: RunSummary[] | undefined;
  try {
    ({ queryResult } = (await ask('query/status', JSON.stringify({ query: { queryType: 'status' } }))) as {
      queryResult?: RunSummary[];
    });
  } catch (err) {
    // A run terminated before any worker took it has no summary: say how it ended all the same.
    throw new CliError(
      `run ${runId} ended (${ended}), and its summary cannot be read: ${(err as Error).message}`,
    );
  }
  if (!queryResult?.[0]) throw new CliError(`Temporal answered run ${runId}'s status query without a status`);
  return queryResult[0];
}

/** The run's close event: long polls of its history, each returning empty after Temporal's interval. */
async function closeEvent(ask: AskAboutRun): Promise<CloseEvent> {
  let nextPageToken: string | undefined;
  for (;;) {
    const page = new URLSearchParams({
      waitNewEvent: 'true',
      historyEventFilterType: 'HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT',
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    const answer = (await ask(`history?${page}`, undefined, LONG_POLL_TIMEOUT_MS)) as {
      history?: { events?: CloseEvent[] };
      nextPageToken?: string;
    };
    const closed = answer.history?.events?.[0];
    if (closed) return closed;
    nextPageToken = answer.nextPageToken;
  }
}

/** How many workers poll the run queue now (DescribeTaskQueue); undefined when Temporal does not say. */
export async function pollingWorkersOverHttp(
  httpUrl: string,
  temporal: Config['temporal'],
): Promise<number | undefined> {
  const url = apiUrl(httpUrl, temporal, `task-queues/${encodeURIComponent(temporal.taskQueue)}`);
  let pollers: { lastAccessTime?: string }[] | undefined;
  try {
    ({ pollers } = answerOf(await call(url), httpUrl, 'describe the task queue') as {
      pollers?: { lastAccessTime?: string }[];
    });
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
 * (undici) on first use, which takes longer than the request. node:https (TLS) only for an https
 * URL: loading it costs a local start ~5 ms.
 */
async function call(url: URL, body?: string, timeoutMs = CALL_TIMEOUT_MS): Promise<Answer> {
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : http;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        headers:
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
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

/**
 * The JSON of Temporal's 200; else Temporal's refusal, a google.rpc.Status ({code, message}), as
 * "Temporal did not <what>"; anything else is not Temporal.
 */
function answerOf(response: Answer, httpUrl: string, what: string): unknown {
  const { status, text } = response;
  let json: { message?: unknown } | undefined;
  try {
    json = JSON.parse(text) as { message?: unknown };
  } catch {
    json = undefined;
  }
  if (status === 200 && json) return json;
  if (status !== 200 && typeof json?.message === 'string') {
    throw new CliError(`Temporal did not ${what}: ${json.message} (HTTP ${status})`);
  }
  throw new CliError(
    `${httpUrl} answered HTTP ${status} (${text.slice(0, 200).trim()}): TEMPORAL_HTTP_URL must be ` +
      "Temporal's HTTP API, the frontend's HTTP address (port 7243 by default)",
  );
}
