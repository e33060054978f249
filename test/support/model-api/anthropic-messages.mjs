// Stand-in for Anthropic's Messages API (see server.mjs), as Claude Code calls it: POST /v1/messages
// (streamed as server-sent events, or one JSON message when the request does not ask for a stream)
// and POST /v1/messages/count_tokens. Shapes follow the published API reference: the event sequence
// message_start, ping, content_block_start / content_block_delta (text_delta, input_json_delta) /
// content_block_stop per block, message_delta (stop_reason, usage), message_stop; errors are
// { type: 'error', error: { type, message }, request_id }.
//
// The conversation's turn comes from phase-script.mjs. Requests that offer no tools are Claude
// Code's side requests (a model check, a session title, memory selection, ...; Claude Code 2.1 in
// print mode with nonessential traffic off makes none): they get a short answer and do not advance
// the phase script.
import { randomBytes } from 'node:crypto';
import { headerOrBearer } from './api-key.mjs';
import { asShell, nextAction } from './phase-script.mjs';
import { openEventStream, pieces, sendEvent } from './stream.mjs';

export const name = 'anthropic';

const MESSAGES = /\/v1\/messages$/;
const COUNT_TOKENS = /\/v1\/messages\/count_tokens$/;
// Anthropic-only resources the stand-in does not serve: a 404 in Anthropic's shape rather than the
// server's. (/v1/models and /v1/files are left alone: OpenAI has them too.)
const OTHER = /\/v1\/(messages\/batches|complete)(\/.*)?$/;

export function matches(method, pathname) {
  return (
    (method === 'POST' && (MESSAGES.test(pathname) || COUNT_TOKENS.test(pathname))) || OTHER.test(pathname)
  );
}

/** The key: `x-api-key` (ANTHROPIC_API_KEY), or a bearer token (ANTHROPIC_AUTH_TOKEN). */
export function keyOf(req, _url) {
  return headerOrBearer(req, 'x-api-key');
}

const ERROR_TYPES = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function error(res, status, message) {
  // What Anthropic itself says of a wrong key, which is what Claude Code prints.
  if (status === 401) message = 'invalid x-api-key';
  const requestId = id('req_');
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': requestId,
    'x-should-retry': 'false',
  });
  res.end(
    JSON.stringify({
      type: 'error',
      error: { type: ERROR_TYPES[status] ?? 'api_error', message },
      request_id: requestId,
    }),
  );
}

export async function handle({ req, res, url, body, scenario }) {
  if (COUNT_TOKENS.test(url.pathname)) return json(res, { input_tokens: tokens(body) });
  if (!MESSAGES.test(url.pathname) || req.method !== 'POST') {
    return error(res, 404, `Not found: ${req.method} ${url.pathname}`);
  }
  if (!body || typeof body !== 'object' || !Array.isArray(body.messages)) {
    return error(res, 400, 'messages: Field required');
  }
  const { content, stop_reason } = limited(reply(body, scenario.mode), body.max_tokens);
  const message = {
    id: id('msg_01'),
    type: 'message',
    role: 'assistant',
    model: body.model ?? 'claude-stand-in',
    content,
    stop_reason,
    stop_sequence: null,
    usage: {
      input_tokens: tokens(body),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: outputTokens(content),
      service_tier: 'standard',
    },
  };
  if (body.stream === true) return stream(res, message);
  return json(res, message);
}

/** The assistant's content blocks for this turn. */
function reply(body, mode) {
  const tools = Array.isArray(body.tools) ? body.tools : [];
  // Side requests (a session title, a model check, memory selection, ...) offer no tools: answer
  // them, leave the phase script alone.
  if (tools.length === 0) return [{ type: 'text', text: sideAnswer(body) }];

  const { text, toolOutputs, lastToolUse } = conversation(body.messages);
  const action = nextAction({ text, toolOutputs, mode });
  if (action.kind === 'final') return [{ type: 'text', text: action.text }];

  const shellTool = findTool(tools, 'Bash', 'command');
  const writeTool = findTool(tools, 'Write', 'file_path');
  const readTool = findTool(tools, 'Read', 'file_path');
  if (action.kind === 'write' && writeTool && action.path?.startsWith('/')) {
    // Claude Code's Write refuses to overwrite a file the conversation has not read (Spec Kit's
    // scripts copy templates to spec.md and plan.md), so a model reads the target first, as it
    // would the template anyway.
    const readFirst =
      readTool && !(lastToolUse?.name === readTool.name && lastToolUse.input?.file_path === action.path);
    if (readFirst)
      return toolCall(readTool.name, { file_path: action.path }, `Reading ${action.path} first.`);
    return toolCall(
      writeTool.name,
      { file_path: action.path, content: action.content },
      `Writing ${action.path}.`,
    );
  }
  if (!shellTool) return [{ type: 'text', text: 'No shell tool was offered, so I cannot run the phase.' }];
  const command = asShell(action);
  return toolCall(shellTool.name, { command, description: describe(action) }, 'Running the next step.');
}

const outputTokens = (blocks) => Math.max(1, Math.ceil(JSON.stringify(blocks).length / 4));

/** A text answer cut at max_tokens (a side request's `max_tokens: 1` model check), as the API does. */
function limited(blocks, maxTokens) {
  if (blocks.some((b) => b.type === 'tool_use')) return { content: blocks, stop_reason: 'tool_use' };
  const text = blocks.map((b) => b.text).join('');
  if (!(maxTokens > 0) || Math.ceil(text.length / 4) <= maxTokens)
    return { content: blocks, stop_reason: 'end_turn' };
  return { content: [{ type: 'text', text: text.slice(0, maxTokens * 4) }], stop_reason: 'max_tokens' };
}

function toolCall(name, input, preface) {
  return [
    { type: 'text', text: preface },
    { type: 'tool_use', id: id('toolu_01'), name, input },
  ];
}

function describe(action) {
  return action.kind === 'write' ? `Write ${action.path}` : 'Run a Spec Kit script';
}

function findTool(tools, name, property) {
  return (
    tools.find((t) => t.name === name) ??
    tools.find((t) => t.input_schema?.properties?.[property] !== undefined && !t.type)
  );
}

/**
 * What the phase script reads from a conversation: the text of the user's messages, the outputs of
 * the tool calls in order (less the reads the adapter adds before a write) and the last tool call.
 */
function conversation(messages) {
  const texts = [];
  const toolOutputs = [];
  const calls = new Map();
  let lastToolUse;
  for (const m of messages) {
    const content = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : (m.content ?? []);
    for (const block of content) {
      if (m.role === 'user' && block.type === 'text') texts.push(asTyped(block.text));
      if (m.role === 'assistant' && block.type === 'tool_use') {
        calls.set(block.id, block);
        lastToolUse = block;
      }
      if (m.role === 'user' && block.type === 'tool_result') {
        const call = calls.get(block.tool_use_id);
        if (call?.name === 'Read') continue;
        toolOutputs.push(resultText(block.content));
      }
    }
  }
  return { text: texts.join('\n'), toolOutputs, lastToolUse };
}

// Claude Code sends a slash command the user typed as tags (<command-name>/speckit-plan</command-name>
// <command-args>...</command-args>) followed by the expanded skill: back to the line as typed.
const COMMAND_TAGS =
  /<command-name>(\/[^<\s]+)<\/command-name>\s*(?:<command-args>([\s\S]*?)<\/command-args>)?/g;
function asTyped(text) {
  return text.replace(COMMAND_TAGS, (_, command, args) =>
    args?.trim() ? `${command} ${args.trim()}` : command,
  );
}

function resultText(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((b) => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
}

/**
 * A side request's answer: JSON that fits the schema when it asks for structured output
 * (output_config.format), else a short title-like text.
 */
function sideAnswer(body) {
  const format = body.output_config?.format;
  if (format?.type === 'json_schema') return JSON.stringify(instanceOf(format.schema ?? {}));
  return 'Spec Kit phase';
}

/** The smallest value a JSON schema accepts, near enough: required properties, empty lists. */
function instanceOf(schema) {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives) && alternatives.length) return instanceOf(alternatives[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((k) => [k, instanceOf(schema.properties?.[k] ?? {})]),
      );
    case 'array':
      return [];
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return schema.properties ? instanceOf({ ...schema, type: 'object' }) : null;
  }
}

function stream(res, message) {
  openEventStream(res, { 'request-id': id('req_') });
  const send = (event, data) => sendEvent(res, event, { type: event, ...data });
  const { content, usage, stop_reason, stop_sequence } = message;
  send('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  send('ping', {});
  content.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const part of pieces(block.text))
        send('content_block_delta', { index, delta: { type: 'text_delta', text: part } });
    } else {
      send('content_block_start', { index, content_block: { ...block, input: {} } });
      const json = JSON.stringify(block.input);
      for (const part of ['', ...pieces(json)]) {
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      }
    }
    send('content_block_stop', { index });
  });
  send('message_delta', {
    delta: { stop_reason, stop_sequence },
    usage: { output_tokens: usage.output_tokens },
  });
  send('message_stop', {});
  res.end();
}

function json(res, value) {
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': id('req_') });
  res.end(JSON.stringify(value));
}

function tokens(body) {
  return Math.max(1, Math.ceil(JSON.stringify(body ?? {}).length / 4));
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function id(prefix) {
  return prefix + [...randomBytes(22)].map((b) => BASE62[b % 62]).join('');
}
