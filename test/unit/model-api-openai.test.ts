// The model API stand-in's OpenAI Responses adapter, checked with OpenAI's own SDK: if the
// official client parses its event streams, responses and errors, the shapes follow the published
// API. The tools offered are the shapes Codex 0.169 sends: code mode (an `additional_tools` input
// item whose `functions` namespace holds the freeform `exec` tool, JavaScript calling
// tools.exec_command / tools.apply_patch) for the models it knows, plain function tools
// (exec_command, write_stdin) for others. The server runs as a plain node process on the host's
// loopback (it is no agent CLI); no Docker needed.
import OpenAI from 'openai';
import type {
  Response,
  ResponseCreateParamsStreaming,
  ResponseCustomToolCall,
  ResponseFunctionToolCall,
  ResponseInputItem,
  ResponseStreamEvent,
  Tool,
} from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelApiOnHost, objectSchema, startModelApiOnHost } from '../support/model-api-host.js';

const KEY = 'sk-test-key';
const MODEL = 'gpt-6.1-sol';
const CWD = '/repo';
const SPEC_FILE = `${CWD}/specs/001-albums/spec.md`;
const CREATED = `{"BRANCH_NAME":"001-albums","SPEC_FILE":"${SPEC_FILE}","FEATURE_NUM":"001"}`;

/** A function tool as Codex declares its own: not strict, and no parameters but the declared ones. */
function codexFunction(
  name: string,
  description: string,
  types: Record<string, string>,
  required: string[],
): Tool {
  const parameters = { ...objectSchema(types, required), additionalProperties: false };
  return { type: 'function', name, description, strict: false, parameters };
}

// Codex's tools, reduced to what the stand-in looks at.
const EXEC_COMMAND = codexFunction(
  'exec_command',
  'Runs a command in a PTY, returning output or a session ID for ongoing interaction.',
  { cmd: 'string', workdir: 'string', yield_time_ms: 'number' },
  ['cmd'],
);
const WRITE_STDIN = codexFunction(
  'write_stdin',
  'Writes characters to an existing unified exec session and returns recent output.',
  { session_id: 'number', chars: 'string', yield_time_ms: 'number' },
  ['session_id'],
);
const APPLY_PATCH: Tool = {
  type: 'custom',
  name: 'apply_patch',
  description: 'Use the `apply_patch` tool to edit files. This is a FREEFORM tool.',
  format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch hunk+ end_patch' },
};
const CODE_MODE: ResponseInputItem = {
  type: 'additional_tools',
  role: 'developer',
  tools: [
    {
      type: 'namespace',
      name: 'functions',
      description: '',
      tools: [
        {
          type: 'custom',
          name: 'exec',
          description: [
            'Run JavaScript code to orchestrate/compose tool calls',
            'declare const tools: { apply_patch(input: string): Promise<unknown>; };',
            'declare const tools: { exec_command(args: { cmd: string; yield_time_ms?: number; }): Promise<{ output: string; exit_code?: number; session_id?: number }>; };',
          ].join('\n'),
          format: { type: 'grammar', syntax: 'lark', definition: 'start: SOURCE\nSOURCE: /[\\s\\S]+/' },
        },
        {
          type: 'function',
          name: 'wait',
          description: 'Waits on a yielded `exec` cell.',
          parameters: objectSchema({ cell_id: 'string', yield_time_ms: 'number' }, ['cell_id']),
        },
      ],
    },
  ],
} as unknown as ResponseInputItem;

let standin: ModelApiOnHost;

const client = (apiKey = KEY, options: ConstructorParameters<typeof OpenAI>[0] = {}) =>
  new OpenAI({ apiKey, baseURL: `${standin.origin}/v1`, maxRetries: 0, timeout: 10_000, ...options });

beforeAll(async () => {
  standin = await startModelApiOnHost(KEY);
});

afterAll(() => standin?.stop());

type Call = ResponseFunctionToolCall | ResponseCustomToolCall;

/** Codex's input: the environment context, the phase prompt, then each tool call and its output. */
function input(
  prompt: string,
  turns: { call: Call; output: string }[] = [],
  codeMode = true,
): ResponseInputItem[] {
  const items: ResponseInputItem[] = [
    ...(codeMode ? [CODE_MODE] : []),
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex.' }] },
    {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: `<environment_context>\n  <cwd>${CWD}</cwd>\n</environment_context>` },
      ],
    },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] },
  ];
  for (const { call, output } of turns) {
    items.push(call);
    if (call.type === 'custom_tool_call') {
      // Code mode answers with content items, as Codex sends them.
      items.push({
        type: 'custom_tool_call_output',
        call_id: call.call_id,
        output: [{ type: 'input_text', text: output }],
      });
    } else {
      items.push({ type: 'function_call_output', call_id: call.call_id, output });
    }
  }
  return items;
}

/**
 * One streamed turn, read twice: the raw events of `responses.create({ stream: true })`, checked
 * against the published event sequence, and the SDK's own accumulation (`responses.stream`).
 */
async function streamed(items: ResponseInputItem[], tools: Tool[] = []): Promise<Response> {
  const params: ResponseCreateParamsStreaming = {
    model: MODEL,
    input: items,
    tools,
    stream: true,
    store: false,
    parallel_tool_calls: false,
  };
  const events: ResponseStreamEvent[] = [];
  for await (const event of await client().responses.create(params)) events.push(event);
  checkSequence(events);

  const final = await client().responses.stream(params).finalResponse();
  const completed = events.at(-1) as Extract<ResponseStreamEvent, { type: 'response.completed' }>;
  expect(final.output.map((o) => o.type)).toEqual(completed.response.output.map((o) => o.type));
  return final;
}

function checkSequence(events: ResponseStreamEvent[]) {
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  expect(events.slice(0, 2).map((e) => e.type)).toEqual(['response.created', 'response.in_progress']);
  expect(events.at(-1)?.type).toBe('response.completed');
  const created = events[0] as Extract<ResponseStreamEvent, { type: 'response.created' }>;
  expect(created.response).toMatchObject({
    object: 'response',
    status: 'in_progress',
    output: [],
    model: MODEL,
  });
  const completed = events.at(-1) as Extract<ResponseStreamEvent, { type: 'response.completed' }>;
  expect(completed.response.status).toBe('completed');
  expect(completed.response.id).toBe(created.response.id);
  expect(completed.response.usage?.total_tokens).toBeGreaterThan(0);

  // Each item: added, its deltas adding up to its done value, done; in output order.
  completed.response.output.forEach((item, index) => {
    const mine = events.filter((e) => 'output_index' in e && e.output_index === index);
    expect(mine[0]).toMatchObject({ type: 'response.output_item.added', item: { type: item.type } });
    expect(mine.at(-1)).toMatchObject({ type: 'response.output_item.done', item });
    const deltas = (type: string) =>
      mine.flatMap((e) => (e.type === type && 'delta' in e ? [e.delta as string] : [])).join('');
    if (item.type === 'message') {
      const text = item.content.map((c) => (c.type === 'output_text' ? c.text : '')).join('');
      expect(mine.map((e) => e.type)).toContain('response.content_part.added');
      expect(deltas('response.output_text.delta')).toBe(text);
      expect(mine.find((e) => e.type === 'response.output_text.done')).toMatchObject({ text });
    } else if (item.type === 'function_call') {
      expect(deltas('response.function_call_arguments.delta')).toBe(item.arguments);
      expect(mine.find((e) => e.type === 'response.function_call_arguments.done')).toMatchObject({
        name: item.name,
        arguments: item.arguments,
      });
    } else if (item.type === 'custom_tool_call') {
      expect(deltas('response.custom_tool_call_input.delta')).toBe(item.input);
      expect(mine.find((e) => e.type === 'response.custom_tool_call_input.done')).toMatchObject({
        input: item.input,
      });
    }
  });
}

function callOf(response: Response): Call {
  const call = response.output.find((o) => o.type === 'function_call' || o.type === 'custom_tool_call');
  if (!call) throw new Error(`no tool call in ${JSON.stringify(response.output)}`);
  return call as Call;
}

const prompt = '$speckit-specify Add photo albums';

describe('the OpenAI Responses stand-in, through the official SDK', () => {
  it("runs the phase script through code mode's exec tool (tools.exec_command), then ends with text", async () => {
    const first = await streamed(input(prompt));
    expect(first).toMatchObject({ object: 'response', status: 'completed', model: MODEL });
    expect(first.id).toMatch(/^resp_/);
    const call = callOf(first);
    expect(call).toMatchObject({ type: 'custom_tool_call', name: 'exec', namespace: 'functions' });
    expect(call.call_id).toMatch(/^call_/);
    const cell = (call as ResponseCustomToolCall).input;
    expect(cell).toContain(
      `tools.exec_command({ cmd: ${JSON.stringify("bash .specify/scripts/bash/create-new-feature.sh --json 'Add photo albums'")}`,
    );
    // The cell is JavaScript that parses.
    expect(() => new Function(`return async () => {${cell}}`)).not.toThrow();

    const output = `Script completed\nWall time 0.5 seconds\nOutput:\n${CREATED}\nProcess exited with code 0`;
    const write = callOf(await streamed(input(prompt, [{ call, output }])));
    expect(write).toMatchObject({ type: 'custom_tool_call', name: 'exec' });
    const patch = (write as ResponseCustomToolCall).input;
    expect(patch).toContain('tools.apply_patch(');
    // apply_patch wants paths relative to the working directory.
    expect(patch).toContain('*** Add File: specs/001-albums/spec.md\\n+# Feature Specification');

    const done = await streamed(
      input(prompt, [
        { call, output },
        { call: write, output: '{}' },
      ]),
    );
    expect(done.output.map((o) => o.type)).toEqual(['message']);
    expect(done.output_text).toBe('The specification is ready for planning.');
  });

  it('calls plain function tools with the arguments their schemas declare, writing through the shell', async () => {
    const first = callOf(await streamed(input('$speckit-plan', [], false), [EXEC_COMMAND, WRITE_STDIN]));
    expect(first).toMatchObject({ type: 'function_call', name: 'exec_command' });
    expect(JSON.parse((first as ResponseFunctionToolCall).arguments)).toEqual({
      cmd: 'bash .specify/scripts/bash/setup-plan.sh --json',
      yield_time_ms: 30_000,
    });
    const output = `Chunk ID: 1\nProcess exited with code 0\nOutput:\n{"IMPL_PLAN":"${CWD}/specs/001-albums/plan.md"}`;
    const write = callOf(
      await streamed(input('$speckit-plan', [{ call: first, output }], false), [EXEC_COMMAND]),
    );
    expect(JSON.parse((write as ResponseFunctionToolCall).arguments).cmd).toContain(
      `cat > '${CWD}/specs/001-albums/plan.md' <<'SPECKIT_STANDIN_EOF'`,
    );
  });

  it('uses a freeform apply_patch tool when one is offered', async () => {
    const first = callOf(await streamed(input(prompt, [], false), [EXEC_COMMAND, APPLY_PATCH]));
    const write = callOf(
      await streamed(input(prompt, [{ call: first, output: CREATED }], false), [EXEC_COMMAND, APPLY_PATCH]),
    );
    expect(write).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch' });
    expect((write as ResponseCustomToolCall).input).toMatch(
      /^\*\*\* Begin Patch\n\*\*\* Add File: specs\/001-albums\/spec\.md\n\+# Feature Specification\n[\s\S]*\n\*\*\* End Patch$/,
    );
  });

  it('polls a command that is still running before taking the next step', async () => {
    const tools = [EXEC_COMMAND, WRITE_STDIN];
    const first = callOf(await streamed(input(prompt, [], false), tools));
    const running = 'Chunk ID: 1\nWall time: 30.0 seconds\nProcess running with session ID 7\nOutput:\n';
    const poll = callOf(await streamed(input(prompt, [{ call: first, output: running }], false), tools));
    expect(poll).toMatchObject({ type: 'function_call', name: 'write_stdin' });
    expect(JSON.parse((poll as ResponseFunctionToolCall).arguments)).toMatchObject({
      session_id: 7,
      chars: '',
    });
    const finished = `Process exited with code 0\nOutput:\n${CREATED}`;
    const turns = [
      { call: first, output: running },
      { call: poll, output: finished },
    ];
    const write = callOf(await streamed(input(prompt, turns, false), tools));
    expect(JSON.parse((write as ResponseFunctionToolCall).arguments).cmd).toContain(`cat > '${SPEC_FILE}'`);
  });

  it('answers a request that asks for no stream with one Response', async () => {
    const response = await client().responses.create({
      model: MODEL,
      input: input('$speckit-tasks'),
      store: false,
    });
    expect(response).toMatchObject({ object: 'response', status: 'completed', error: null });
    expect(callOf(response)).toMatchObject({ type: 'custom_tool_call', name: 'exec' });
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
  });

  it("ends the turn at once in mode 'nothing'", async () => {
    await standin.setMode('nothing');
    try {
      const response = await streamed(input(prompt));
      expect(response.output.map((o) => o.type)).toEqual(['message']);
      expect(response.output_text).toBe('Done.');
    } finally {
      await standin.setMode('work');
    }
  });

  it("sends no headers in mode 'stall'", async () => {
    await standin.setMode('stall');
    try {
      const failure = await client(KEY, { timeout: 500 })
        .responses.create({ model: MODEL, input: prompt, stream: true })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    } finally {
      await standin.setMode('work');
    }
  });

  it("rejects a wrong key with the SDK's AuthenticationError, in OpenAI's error shape", async () => {
    const failure = await client('sk-wrong')
      .responses.create({ model: MODEL, input: input(prompt), stream: true })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(failure).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
      type: 'invalid_request_error',
      error: { message: expect.stringContaining('Incorrect API key provided'), param: null },
    });
  });

  it('takes the key from an api-key header, under any path prefix, with query parameters', async () => {
    const azure = client('not-the-key', {
      baseURL: `${standin.origin}/openai/v1`,
      defaultHeaders: { 'api-key': KEY },
      defaultQuery: { 'api-version': '2025-04-01-preview' },
    });
    const response = await azure.responses.stream({ model: MODEL, input: input(prompt) }).finalResponse();
    expect(callOf(response)).toMatchObject({ name: 'exec' });
    const log = await standin.requests();
    expect(log.at(-1)).toMatchObject({
      provider: 'openai',
      path: '/openai/v1/responses',
      query: { 'api-version': '2025-04-01-preview' },
      keyMatched: true,
    });
  });

  it("answers the Responses API's other resources with a 404 in OpenAI's error shape", async () => {
    const failure = await client()
      .responses.retrieve('resp_123')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect(failure).toMatchObject({ status: 404, type: 'invalid_request_error' });
    // Codex's built-in OpenAI provider first asks for a WebSocket on /responses.
    const upgrade = await fetch(`${standin.origin}/v1/responses`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(upgrade.status).toBe(404);
    expect(await upgrade.json()).toMatchObject({
      error: {
        message: 'Invalid URL (GET /v1/responses)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it('logs each request with the key replaced by whether it matched', async () => {
    const log = await standin.requests();
    const wrong = log.find((r) => !r.keyMatched);
    expect(wrong).toMatchObject({ provider: 'openai', method: 'POST', path: '/v1/responses' });
    expect(wrong?.headers.authorization).toBe('<key invalid>');
    expect(JSON.stringify(log)).not.toContain('sk-wrong');
  });
});
