// The Gemini side of the model API stand-in (test/support/model-api), driven by Google's own SDK
// (@google/genai, the one gemini-cli is built on): if the SDK parses what the stand-in sends, so
// does the CLI. The server runs on this host's loopback as a plain node process; no Docker.
import { ApiError, type Content, type FunctionDeclaration, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelApiOnHost, objectSchema, startModelApiOnHost } from '../support/model-api-host.js';

const KEY = 'test-key';
const MODEL = 'gemini-2.5-pro';
const SPEC_FILE = '/repo/specs/001-photo-albums/spec.md';

// The declarations gemini-cli 0.61 offers for its shell and write tools (JSON Schema parameters).
const SHELL: FunctionDeclaration = {
  name: 'run_shell_command',
  description: 'Executes a given shell command as `bash -c <command>`.',
  parametersJsonSchema: objectSchema(
    { command: 'string', description: 'string', dir_path: 'string', is_background: 'boolean' },
    ['command'],
  ),
};
const WRITE: FunctionDeclaration = {
  name: 'write_file',
  description: 'Writes content to a specified file in the local filesystem.',
  parametersJsonSchema: objectSchema({ file_path: 'string', content: 'string' }, ['file_path', 'content']),
};

let standin: ModelApiOnHost;

const client = (apiKey = KEY) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: standin.origin } });

/** A conversation as gemini-cli sends it: the request, then each call and its result. */
function conversation(request: string, results: { name: string; output: string }[] = []): Content[] {
  return [
    { role: 'user', parts: [{ text: '<session_context>\nThis is the Gemini CLI.\n</session_context>' }] },
    { role: 'user', parts: [{ text: request }] },
    ...results.flatMap(({ name, output }, i): Content[] => [
      { role: 'model', parts: [{ functionCall: { id: `${name}_${i}`, name, args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { id: `${name}_${i}`, name, response: { output } } }] },
    ]),
  ];
}

async function streamed(contents: Content[], functionDeclarations: FunctionDeclaration[] = [SHELL, WRITE]) {
  const stream = await client().models.generateContentStream({
    model: MODEL,
    contents,
    config: { tools: [{ functionDeclarations }] },
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

beforeAll(async () => {
  standin = await startModelApiOnHost(KEY);
});

afterAll(() => standin?.stop());

describe('the Gemini API stand-in, through @google/genai', () => {
  it("streams a run_shell_command call for the phase's first script", async () => {
    const chunks = await streamed(conversation('/speckit.specify Add photo albums'));
    const calls = chunks.flatMap((c) => c.functionCalls ?? []);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.name).toBe('run_shell_command');
    expect(calls[0]?.args?.command).toBe(
      "bash .specify/scripts/bash/create-new-feature.sh --json 'Add photo albums'",
    );
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata?.totalTokenCount).toBeGreaterThan(0);

    const [logged] = (await standin.requests()).slice(-1);
    expect(logged?.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent`);
    expect(logged?.query).toEqual({ alt: 'sse' });
    expect(logged?.headers['x-goog-api-key']).toBe('<key valid>');
  });

  it('writes the document with write_file, where the script said, and then answers in text', async () => {
    const created = {
      name: 'run_shell_command',
      output: `Output: {"BRANCH_NAME":"001-photo-albums","SPEC_FILE":"${SPEC_FILE}"}`,
    };
    const write = (await streamed(conversation('/speckit.specify Add photo albums', [created]))).flatMap(
      (c) => c.functionCalls ?? [],
    );
    expect(write[0]?.name).toBe('write_file');
    expect(write[0]?.args?.file_path).toBe(SPEC_FILE);
    expect(String(write[0]?.args?.content)).toContain('# Feature Specification');

    const written = {
      name: 'write_file',
      output: `Successfully created and wrote to new file: ${SPEC_FILE}.`,
    };
    const final = await streamed(conversation('/speckit.specify Add photo albums', [created, written]));
    expect(final.flatMap((c) => c.functionCalls ?? [])).toEqual([]);
    expect(final.map((c) => c.text ?? '').join('')).toBe('The specification is ready for planning.');
    expect(final.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('writes through the shell when no write tool is offered', async () => {
    const created = { name: 'run_shell_command', output: `{"SPEC_FILE":"${SPEC_FILE}"}` };
    const [call] = (
      await streamed(conversation('/speckit.specify Add photo albums', [created]), [SHELL])
    ).flatMap((c) => c.functionCalls ?? []);
    expect(call?.name).toBe('run_shell_command');
    expect(call?.args?.command).toMatch(
      new RegExp(`^mkdir -p .* && cat > '${SPEC_FILE}' <<'SPECKIT_STANDIN_EOF'`),
    );
  });

  it("knows the phase from the body of gemini's TOML command, which replaces the invocation", async () => {
    const body =
      '\n## User Input\n\n```text\n\n```\n\nYou **MUST** consider the user input before proceeding (if not empty).\n\n' +
      '- If it exists, read it and look for entries under the `hooks.before_plan` key\n';
    const [call] = (await streamed(conversation(body))).flatMap((c) => c.functionCalls ?? []);
    expect(call?.args?.command).toBe('bash .specify/scripts/bash/setup-plan.sh --json');
  });

  it('answers side tasks (no tools, a response schema) with matching JSON and no call', async () => {
    const response = await client().models.generateContent({
      model: 'gemini-2.5-flash-lite',
      contents: conversation('/speckit.plan'),
      config: {
        responseMimeType: 'application/json',
        responseJsonSchema: {
          type: 'object',
          properties: {
            complexity_reasoning: { type: 'string' },
            complexity_score: { type: 'integer', description: 'Complexity score from 1-100.' },
          },
          required: ['complexity_reasoning', 'complexity_score'],
        },
      },
    });
    expect(response.functionCalls).toBeUndefined();
    expect(JSON.parse(response.text ?? '')).toEqual({
      complexity_reasoning: expect.any(String),
      complexity_score: 1,
    });
    expect((await standin.requests()).at(-1)?.path).toBe(
      '/v1beta/models/gemini-2.5-flash-lite:generateContent',
    );
  });

  it('counts tokens and lists models', async () => {
    const counted = await client().models.countTokens({ model: MODEL, contents: 'Add photo albums' });
    expect(counted.totalTokens).toBeGreaterThan(0);
    const names = [];
    for await (const model of await client().models.list()) names.push(model.name);
    expect(names).toContain(`models/${MODEL}`);
  });

  it('does nothing but answer in the "nothing" scenario', async () => {
    await standin.setMode('nothing');
    try {
      const chunks = await streamed(conversation('/speckit.specify Add photo albums'));
      expect(chunks.flatMap((c) => c.functionCalls ?? [])).toEqual([]);
      expect(chunks.map((c) => c.text ?? '').join('')).toBe('Done.');
    } finally {
      await standin.setMode('work');
    }
  });

  it('rejects a wrong key as Google does: 400 INVALID_ARGUMENT, "API key not valid"', async () => {
    const error = await client('wrong-key')
      .models.generateContentStream({ model: MODEL, contents: 'hello' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    const body = JSON.parse((error as ApiError).message);
    expect(body.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
      details: expect.arrayContaining([expect.objectContaining({ reason: 'API_KEY_INVALID' })]),
    });
    expect((await standin.requests()).at(-1)?.headers['x-goog-api-key']).toBe('<key invalid>');
  });

  it('rejects a request without any key as Google does: 403 PERMISSION_DENIED', async () => {
    const response = await fetch(`${standin.origin}/v1beta/models/${MODEL}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }),
    });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
  });

  it('takes the key from ?key= too, under any path prefix', async () => {
    const response = await fetch(
      `${standin.origin}/gateway/gemini/v1beta/models/${MODEL}:generateContent?key=${KEY}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello' }] }] }),
      },
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.candidates[0]).toMatchObject({ content: { role: 'model' }, finishReason: 'STOP' });
  });
});
