// Stand-in for OpenAI's Responses API (see server.mjs), as the Codex CLI calls it: POST <any
// prefix>/responses, streamed as server-sent events (or one JSON Response when the request does not
// ask for a stream). Shapes follow the published API reference:
//   response.created, response.in_progress,
//   per output item: response.output_item.added,
//     message: response.content_part.added, response.output_text.delta..., response.output_text.done,
//              response.content_part.done
//     function_call: response.function_call_arguments.delta..., response.function_call_arguments.done
//     custom_tool_call: response.custom_tool_call_input.delta..., response.custom_tool_call_input.done
//   response.output_item.done, then response.completed (with usage);
// every event carries `type` and `sequence_number`; errors are
// { error: { message, type, param, code } } (401: invalid_request_error / invalid_api_key).
//
// The key is the `Authorization: Bearer` token, or the `api-key` header when a request has one
// (Azure-style gateways). The conversation's turn comes from phase-script.mjs: `text` is the text of
// the user messages of the request's `input`, `toolOutputs` the outputs of its tool calls in order.
//
// Tools are looked for in the `tools` parameter and in `additional_tools` input items (tool lists
// with namespaces, which is how Codex 0.169 offers them for the models it knows). A 'shell' action
// becomes a call of the shell tool offered: exec_command, shell_command, bash (Copilot) or shell (function tools,
// with the arguments their schemas declare), or, in Codex's code mode, a JavaScript cell for the
// freeform `exec` tool that calls tools.exec_command. A 'write' action becomes an apply_patch call
// (freeform, function, or tools.apply_patch in a code cell) that adds the file, or a shell command
// when no apply_patch is offered.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { headerOrBearer } from './api-key.mjs';
import { asShell, nextAction } from './phase-script.mjs';
import { openEventStream, pieces, sendEvent } from './stream.mjs';

export const name = 'openai';

const RESPONSES = /\/responses$/;
// The Responses API's other resources (retrieve, cancel, input items, compaction) and other
// methods on /responses (Codex's built-in OpenAI provider first tries a WebSocket upgrade there):
// answered in OpenAI's error shape rather than the server's, so Codex falls back to HTTP.
const RESPONSE_RESOURCES = /\/responses\/[^/]+(\/[^/]+)?$/;

export function matches(_method, pathname) {
  return RESPONSES.test(pathname) || RESPONSE_RESOURCES.test(pathname);
}

/** The key: the `api-key` header (Azure-style gateways) when present, else the bearer token. */
export function keyOf(req, _url) {
  return headerOrBearer(req, 'api-key');
}

const ERRORS = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: null },
  404: { type: 'invalid_request_error', code: null },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
};

export function error(res, status, message) {
  const { type, code } = ERRORS[status] ?? ERRORS[500];
  // OpenAI names the key it was given (masked); the stand-in is not given it here.
  const text =
    status === 401
      ? 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.'
      : message;
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': id('req_') });
  res.end(JSON.stringify({ error: { message: text, type, param: null, code } }));
}

export async function handle({ req, res, url, body, scenario }) {
  if (req.method !== 'POST' || !RESPONSES.test(url.pathname)) {
    return error(res, 404, `Invalid URL (${req.method} ${url.pathname})`);
  }
  if (!body || typeof body !== 'object')
    return error(res, 400, 'We could not parse the JSON body of your request.');
  if (body.input === undefined) return error(res, 400, "Missing required parameter: 'input'.");

  const output = reply(body, scenario.mode);
  const response = {
    id: id('resp_'),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model ?? 'gpt-stand-in',
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: usage(body, output),
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
  if (body.stream === true) return stream(res, response);
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id('req_') });
  res.end(JSON.stringify(response));
}

/** The output items of this turn. */
function reply(body, mode) {
  const tools = offeredTools(body);
  const { text, toolOutputs, running, cwd } = conversation(body.input);
  // Work that outlived its call (a command still running, a code cell that yielded): wait for
  // it, as a model would, before the next step. Its later output is folded into the same step.
  if (running) {
    const poll = pollCall(tools, running);
    if (poll) return [poll];
  }
  const action = nextAction({ text, toolOutputs, mode });
  if (action.kind === 'final') return [message(action.text)];

  const preface = message(action.kind === 'write' ? `Writing ${action.path}.` : 'Running the next step.');
  // Copilot's apply_patch refuses to add a file that exists (Spec Kit's scripts copy the templates
  // in first), so with Copilot's `bash` tool documents are written through the shell.
  const patch = action.kind === 'write' && !tool(tools, 'bash') ? patchCall(tools, action, cwd) : undefined;
  const call =
    action.kind === 'write' ? (patch ?? shellCall(tools, asShell(action))) : shellCall(tools, action.command);
  if (!call) return [message('No shell tool was offered, so I cannot run the phase.')];
  return [preface, call];
}

/**
 * The tools a request offers, namespaces flattened: the `tools` parameter, and the tool lists
 * Codex sends as `additional_tools` input items (later lists replace earlier definitions).
 */
function offeredTools(body) {
  const byName = new Map();
  const visit = (list, namespace) => {
    for (const t of Array.isArray(list) ? list : []) {
      if (t?.type === 'namespace') visit(t.tools, t.name);
      else if (t?.name) byName.set(t.name, { ...t, namespace });
      else if (t?.type) byName.set(t.type, t);
    }
  };
  visit(body.tools);
  for (const item of Array.isArray(body.input) ? body.input : []) {
    if (item?.type === 'additional_tools') visit(item.tools);
  }
  return [...byName.values()];
}

/** A tool offered as a function or as a freeform custom tool. */
function tool(tools, toolName) {
  return tools.find((t) => (t.type === 'function' || t.type === 'custom') && t.name === toolName);
}

/**
 * Codex's code mode: a freeform `exec` tool that runs JavaScript in which the other tools are
 * `tools.<name>(...)`. Returns the tool when it declares the nested tool `nested`.
 */
function codeMode(tools, nested) {
  const exec = tools.find((t) => t.type === 'custom' && t.name === 'exec');
  return exec && String(exec.description ?? '').includes(`${nested}(`) ? exec : undefined;
}

/** A call of the shell tool the request offers, with the arguments its schema declares. */
function shellCall(tools, command) {
  const exec = tool(tools, 'exec_command');
  if (exec) return functionCall(exec, fitArgs(exec, { cmd: command, yield_time_ms: 30_000 }));
  const shellCommand = tool(tools, 'shell_command');
  if (shellCommand)
    return functionCall(shellCommand, fitArgs(shellCommand, { command, timeout_ms: 120_000 }));
  // Copilot CLI's custom-provider mode offers its shell as `bash`.
  const bash = tool(tools, 'bash');
  if (bash) return functionCall(bash, fitArgs(bash, { command, description: 'Run a Spec Kit step' }));
  const shell = tool(tools, 'shell');
  if (shell)
    return functionCall(shell, fitArgs(shell, { command: ['bash', '-lc', command], timeout_ms: 120_000 }));
  const cell = codeMode(tools, 'exec_command');
  if (cell) {
    // Runs the command and, while it has not exited, keeps reading its session.
    return customCall(
      cell,
      [
        `let r = await tools.exec_command({ cmd: ${JSON.stringify(command)}, yield_time_ms: 30000 });`,
        'let out = r.output ?? "";',
        'while (r.exit_code === undefined && r.session_id !== undefined) {',
        '  r = await tools.write_stdin({ session_id: r.session_id, chars: "", yield_time_ms: 30000 });',
        '  out += r.output ?? "";',
        '}',
        'text(out);',
        'text("Process exited with code " + r.exit_code);',
      ].join('\n'),
    );
  }
  if (tools.some((t) => t.type === 'local_shell')) {
    return {
      type: 'local_shell_call',
      id: id('lsh_'),
      call_id: id('call_'),
      status: 'completed',
      action: {
        type: 'exec',
        command: ['bash', '-lc', command],
        timeout_ms: 120_000,
        working_directory: null,
        env: {},
        user: null,
      },
    };
  }
  return undefined;
}

/** An apply_patch call (freeform, function, or inside a code cell) that writes the file, if offered. */
function patchCall(tools, action, cwd) {
  const input = addFilePatch(relative(action.path, cwd), action.content);
  const patch = tool(tools, 'apply_patch');
  if (patch?.type === 'custom') return customCall(patch, input);
  if (patch) return functionCall(patch, fitArgs(patch, { input }));
  const cell = codeMode(tools, 'apply_patch');
  if (cell) {
    return customCall(
      cell,
      `const r = await tools.apply_patch(${JSON.stringify(input)});\ntext(typeof r === "string" ? r : JSON.stringify(r));`,
    );
  }
  return undefined;
}

/** The call that waits for a running command (`write_stdin`) or a yielded code cell (`wait`). */
function pollCall(tools, running) {
  if (running.session !== undefined) {
    const stdin = tool(tools, 'write_stdin');
    if (stdin)
      return functionCall(
        stdin,
        fitArgs(stdin, { session_id: running.session, chars: '', yield_time_ms: 30_000 }),
      );
  }
  if (running.cell !== undefined) {
    const wait = tool(tools, 'wait');
    if (wait) return functionCall(wait, fitArgs(wait, { cell_id: running.cell, yield_time_ms: 30_000 }));
  }
  return undefined;
}

/** The arguments the tool's schema declares (all of them when it declares none). */
function fitArgs(t, args) {
  const properties = t.parameters?.properties;
  if (!properties) return args;
  return Object.fromEntries(Object.entries(args).filter(([k]) => k in properties));
}

/** An apply_patch envelope that adds (or replaces) one file. */
function addFilePatch(file, content) {
  const lines = content.replace(/\n$/, '').split('\n');
  return ['*** Begin Patch', `*** Add File: ${file}`, ...lines.map((l) => `+${l}`), '*** End Patch'].join(
    '\n',
  );
}

/** Paths inside the working directory as apply_patch wants them: relative. */
function relative(file, cwd) {
  if (!cwd || !path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

/**
 * What the phase script reads from a request's input: the text of its user messages, the outputs
 * of its tool calls in order (the output of a poll, write_stdin or wait, is folded into the call it
 * continues), what is still running, and the working directory Codex reports.
 */
function conversation(input) {
  const items =
    typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : (input ?? []);
  const texts = [];
  const toolOutputs = [];
  const calls = new Map();
  let running;
  for (const item of items) {
    const type = item.type ?? (item.role ? 'message' : undefined);
    if (type === 'message' && item.role === 'user') texts.push(contentText(item.content));
    if (type === 'function_call' || type === 'custom_tool_call' || type === 'local_shell_call')
      calls.set(item.call_id, item);
    if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      const out = outputText(item.output);
      const name = calls.get(item.call_id)?.name;
      const poll = name === 'write_stdin' || name === 'wait';
      if (poll && toolOutputs.length) toolOutputs[toolOutputs.length - 1] += `\n${out}`;
      else toolOutputs.push(out);
      running = stillRunning(name, out);
    }
  }
  const text = texts.join('\n');
  const cwd = /<cwd>([^<]+)<\/cwd>/.exec(text)?.[1]?.trim();
  return { text, toolOutputs, running, cwd };
}

function contentText(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((c) => c.type === 'input_text' || c.type === 'output_text' || c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/** A tool output as text: a string, content items, or the legacy shell tool's {output, metadata} JSON. */
function outputText(output) {
  if (Array.isArray(output)) return contentText(output);
  if (typeof output !== 'string') return output?.content ?? JSON.stringify(output ?? '');
  try {
    const parsed = JSON.parse(output);
    if (parsed && typeof parsed.output === 'string') return parsed.output;
  } catch {}
  return output;
}

/** A command (exec_command, write_stdin) or code cell (exec, wait) that had not finished when its call returned. */
function stillRunning(name, out) {
  if ((name === 'exec_command' || name === 'write_stdin') && !/Process exited with code/i.test(out)) {
    const m = /session ID (\d+)/i.exec(out);
    if (m) return { session: Number(m[1]) };
  }
  if (name === 'exec' || name === 'wait') {
    const m = /Script running with cell ID (\S+?)[.,]?(\s|$)/i.exec(out);
    if (m) return { cell: m[1] };
  }
  return undefined;
}

function message(text) {
  return {
    id: id('msg_'),
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
  };
}

function functionCall(t, args) {
  return {
    id: id('fc_'),
    type: 'function_call',
    status: 'completed',
    arguments: JSON.stringify(args),
    call_id: id('call_'),
    name: t.name,
    ...(t.namespace ? { namespace: t.namespace } : {}),
  };
}

function customCall(t, input) {
  return {
    id: id('ctc_'),
    type: 'custom_tool_call',
    call_id: id('call_'),
    name: t.name,
    input,
    ...(t.namespace ? { namespace: t.namespace } : {}),
  };
}

function usage(body, output) {
  const input_tokens = Math.max(1, Math.ceil(JSON.stringify(body.input ?? '').length / 4));
  const output_tokens = Math.max(1, Math.ceil(JSON.stringify(output).length / 4));
  return {
    input_tokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input_tokens + output_tokens,
  };
}

function stream(res, response) {
  openEventStream(res, { 'x-request-id': id('req_') });
  let sequence_number = 0;
  const send = (type, data) => sendEvent(res, type, { type, sequence_number: sequence_number++, ...data });
  const pending = { ...response, status: 'in_progress', output: [], usage: null };
  send('response.created', { response: pending });
  send('response.in_progress', { response: pending });
  response.output.forEach((item, output_index) => {
    const item_id = item.id;
    if (item.type === 'message') {
      send('response.output_item.added', {
        output_index,
        item: { ...item, status: 'in_progress', content: [] },
      });
      item.content.forEach((part, content_index) => {
        const at = { item_id, output_index, content_index };
        send('response.content_part.added', { ...at, part: { ...part, text: '' } });
        for (const delta of pieces(part.text))
          send('response.output_text.delta', { ...at, delta, logprobs: [] });
        send('response.output_text.done', { ...at, text: part.text, logprobs: [] });
        send('response.content_part.done', { ...at, part });
      });
    } else if (item.type === 'function_call') {
      send('response.output_item.added', {
        output_index,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const delta of pieces(item.arguments)) {
        send('response.function_call_arguments.delta', { item_id, output_index, delta });
      }
      send('response.function_call_arguments.done', {
        item_id,
        output_index,
        name: item.name,
        arguments: item.arguments,
      });
    } else if (item.type === 'custom_tool_call') {
      send('response.output_item.added', {
        output_index,
        item: { ...item, status: 'in_progress', input: '' },
      });
      for (const delta of pieces(item.input))
        send('response.custom_tool_call_input.delta', { item_id, output_index, delta });
      send('response.custom_tool_call_input.done', { item_id, output_index, input: item.input });
    } else {
      send('response.output_item.added', { output_index, item: { ...item, status: 'in_progress' } });
    }
    send('response.output_item.done', { output_index, item });
  });
  send('response.completed', { response });
  res.end();
}

function id(prefix) {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}
