// The model API stand-in's Anthropic Messages adapter, checked with Anthropic's own SDK: if the
// official client parses its streams, messages and errors, so does Claude Code. The server runs as
// a plain node process on the host's loopback (it is no agent CLI); no Docker needed.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelApiOnHost, objectSchema, startModelApiOnHost } from '../support/model-api-host.js';

const KEY = 'sk-ant-test-key';
const MODEL = 'claude-sonnet-4-5';
const SPEC_FILE = '/repo/specs/001-albums/spec.md';

// The shapes of Claude Code's own tools, reduced to what the stand-in looks at.
const TOOLS: Anthropic.Tool[] = [
  {
    name: 'Bash',
    description: 'Executes a given bash command',
    input_schema: objectSchema({ command: 'string', description: 'string', timeout: 'number' }, ['command']),
  },
  {
    name: 'Read',
    description: 'Reads a file',
    input_schema: objectSchema({ file_path: 'string' }, ['file_path']),
  },
  {
    name: 'Write',
    description: 'Writes a file',
    input_schema: objectSchema({ file_path: 'string', content: 'string' }, ['file_path', 'content']),
  },
];

const BASH = TOOLS[0] as Anthropic.Tool;

let standin: ModelApiOnHost;

const client = (apiKey = KEY) =>
  new Anthropic({ apiKey, baseURL: standin.origin, maxRetries: 0, timeout: 10_000 });

beforeAll(async () => {
  standin = await startModelApiOnHost(KEY);
});

afterAll(() => standin?.stop());

/** The conversation so far: the phase prompt, then each tool call and its result. */
function conversation(prompt: string, turns: { call: Anthropic.ToolUseBlock; output: string }[] = []) {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: [{ type: 'text', text: prompt }] }];
  for (const { call, output } of turns) {
    messages.push({ role: 'assistant', content: [call] });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: call.id, content: output }],
    });
  }
  return messages;
}

async function streamed(messages: Anthropic.MessageParam[], tools = TOOLS): Promise<Anthropic.Message> {
  const events: string[] = [];
  const stream = client().messages.stream({ model: MODEL, max_tokens: 4096, messages, tools });
  stream.on('streamEvent', (event) => events.push(event.type));
  const message = await stream.finalMessage();
  expect(events[0]).toBe('message_start');
  expect(events.at(-2)).toBe('message_delta');
  expect(events.at(-1)).toBe('message_stop');
  return message;
}

function toolUse(message: Anthropic.Message): Anthropic.ToolUseBlock {
  const block = message.content.find((b) => b.type === 'tool_use');
  if (block?.type !== 'tool_use') throw new Error(`no tool_use in ${JSON.stringify(message.content)}`);
  return block;
}

const textOf = (message: Anthropic.Message) =>
  message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');

describe('the Anthropic Messages stand-in, through the official SDK', () => {
  const prompt = '/speckit-specify Add photo albums';

  it('streams a Bash tool call that runs the phase script, with the accumulated JSON input', async () => {
    const message = await streamed(conversation(prompt));
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: MODEL,
      stop_reason: 'tool_use',
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    const call = toolUse(message);
    expect(call.id).toMatch(/^toolu_/);
    expect(call.name).toBe('Bash');
    expect(call.input).toMatchObject({
      command: "bash .specify/scripts/bash/create-new-feature.sh --json 'Add photo albums'",
    });
  });

  it('reads the document before it writes it with the Write tool, then ends the turn', async () => {
    const first = toolUse(await streamed(conversation(prompt)));
    const created = `{"BRANCH_NAME":"001-albums","SPEC_FILE":"${SPEC_FILE}","FEATURE_NUM":"001"}`;
    const read = toolUse(await streamed(conversation(prompt, [{ call: first, output: created }])));
    expect(read).toMatchObject({ name: 'Read', input: { file_path: SPEC_FILE } });

    const turns = [
      { call: first, output: created },
      { call: read, output: '     1\t# Feature Specification: [FEATURE NAME]' },
    ];
    const write = toolUse(await streamed(conversation(prompt, turns)));
    expect(write.name).toBe('Write');
    expect(write.input).toMatchObject({ file_path: SPEC_FILE });
    expect((write.input as { content: string }).content).toContain('Add photo albums');

    const done = await streamed(
      conversation(prompt, [...turns, { call: write, output: `File created successfully at: ${SPEC_FILE}` }]),
    );
    expect(done.stop_reason).toBe('end_turn');
    expect(textOf(done)).toBe('The specification is ready for planning.');
  });

  it('writes through the shell when no Write tool is offered', async () => {
    const first = toolUse(await streamed(conversation(prompt), [BASH]));
    const output = `{"SPEC_FILE":"${SPEC_FILE}"}`;
    const write = toolUse(await streamed(conversation(prompt, [{ call: first, output }]), [BASH]));
    expect(write.name).toBe('Bash');
    expect((write.input as { command: string }).command).toContain(`cat > '${SPEC_FILE}'`);
  });

  it('answers a request that asks for no stream with one message', async () => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 1024,
      messages: conversation('/speckit-plan'),
      tools: TOOLS,
    });
    expect(toolUse(message).input).toEqual({
      command: 'bash .specify/scripts/bash/setup-plan.sh --json',
      description: 'Run a Spec Kit script',
    });
  });

  it('answers side requests (no tools offered) with text, without advancing the phase', async () => {
    const message = await streamed(conversation(prompt), []);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toEqual([{ type: 'text', text: expect.any(String) }]);
  });

  it('reads a slash command as Claude Code sends it: tags, then the expanded skill', async () => {
    const typed =
      '<command-message>speckit-specify</command-message>\n<command-name>/speckit-specify</command-name>\n' +
      '<command-args>Add photo albums</command-args>\n';
    const messages: Anthropic.MessageParam[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: '<system-reminder>\ngit status: clean\n</system-reminder>' },
          { type: 'text', text: typed },
          { type: 'text', text: 'Base directory for this skill: /repo/.claude/skills/speckit-specify\n...' },
        ],
      },
    ];
    expect(toolUse(await streamed(messages)).input).toMatchObject({
      command: "bash .specify/scripts/bash/create-new-feature.sh --json 'Add photo albums'",
    });
  });

  it('answers a side request for structured output with JSON its schema accepts', async () => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 512,
      messages: [{ role: 'user', content: 'Which memories matter here?' }],
      output_config: {
        format: {
          type: 'json_schema',
          schema: {
            type: 'object',
            properties: {
              selected_memories: { type: 'array', items: { type: 'string' } },
              note: { type: 'string' },
            },
            required: ['selected_memories'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(JSON.parse(textOf(message))).toEqual({ selected_memories: [] });
  });

  it('cuts a text answer at max_tokens, as a model check with max_tokens 1 gets it', async () => {
    const message = await client().messages.create({
      model: MODEL,
      max_tokens: 1,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    expect(message.stop_reason).toBe('max_tokens');
    expect(textOf(message).length).toBeLessThanOrEqual(4);
  });

  it('takes the key from x-api-key, as Claude Code sends ANTHROPIC_API_KEY', async () => {
    const viaHeader = new Anthropic({
      apiKey: null,
      authToken: null,
      baseURL: standin.origin,
      maxRetries: 0,
      defaultHeaders: { 'x-api-key': KEY },
    });
    const message = await viaHeader.messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: conversation('/speckit-tasks'),
      tools: TOOLS,
    });
    expect(toolUse(message).name).toBe('Bash');
  });

  it("ends the turn at once in mode 'nothing'", async () => {
    await standin.setMode('nothing');
    try {
      const message = await streamed(conversation(prompt));
      expect(message.stop_reason).toBe('end_turn');
      expect(textOf(message)).toBe('Done.');
    } finally {
      await standin.setMode('work');
    }
  });

  it('counts tokens', async () => {
    const count = await client().messages.countTokens({ model: MODEL, messages: conversation(prompt) });
    expect(count.input_tokens).toBeGreaterThan(0);
  });

  it("rejects a wrong key with the SDK's AuthenticationError", async () => {
    const failure = await client('sk-ant-wrong')
      .messages.stream({ model: MODEL, max_tokens: 16, messages: conversation(prompt) })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(failure).toMatchObject({
      status: 401,
      error: { type: 'error', error: { type: 'authentication_error' } },
    });
  });

  it('answers unknown Anthropic resources with a 404 in the API error shape', async () => {
    const failure = await client()
      .messages.batches.list()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.NotFoundError);
    expect(failure).toMatchObject({ error: { type: 'error', error: { type: 'not_found_error' } } });
  });

  it('logs each request with the key replaced by whether it matched', async () => {
    const log = await standin.requests();
    const wrong = log.find((r) => !r.keyMatched);
    expect(wrong).toMatchObject({ provider: 'anthropic', path: '/v1/messages' });
    // This SDK sends the key as a bearer token; Claude Code sends it as x-api-key. Both count.
    expect(Object.values(wrong?.headers ?? {})).toContain('<key invalid>');
    expect(JSON.stringify(log)).not.toContain('sk-ant-wrong');
  });
});
