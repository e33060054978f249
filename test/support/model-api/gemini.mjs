// Stand-in for the Gemini API (generativelanguage.googleapis.com) as gemini-cli's SDK (@google/genai)
// calls it; see server.mjs. Shapes follow Google's published REST reference:
//   POST {base}/{version}/models/{model}:streamGenerateContent?alt=sse  SSE: `data: <GenerateContentResponse>`
//   POST {base}/{version}/models/{model}:generateContent                one GenerateContentResponse
//   POST {base}/{version}/models/{model}:countTokens                    { totalTokens }
//   POST {base}/{version}/models/{model}:embedContent                   { embedding: { values } }
//   GET  {base}/{version}/models[/{model}]                              Model resources
// Any path prefix is accepted (gateways mount the API under their own path). The key comes in the
// x-goog-api-key header (the SDK's way) or ?key= (the REST docs' way); a gateway configured for
// `Authorization: Bearer` gets it there.
//
// Main turns (the request offers function declarations) follow phase-script.mjs: the phase's shell
// steps become run_shell_command calls, its documents write_file calls. gemini-cli's side tasks
// (model routing, next-speaker and loop checks, history compression, edit correction) offer no
// tools: they get a JSON object matching their responseSchema, or plain text, and never a call.
import crypto from 'node:crypto';
import { bearerToken } from './api-key.mjs';
import { asShell, nextAction } from './phase-script.mjs';

export const name = 'gemini';

const METHODS =
  /\/(?:models|tunedModels)\/([^/:]+):(streamGenerateContent|generateContent|countTokens|embedContent)$/;
// Model listing is under Google's versioned prefix only: `/v1/models` is OpenAI's listing too.
const LISTING = /\/v1(?:beta|alpha)\/models(?:\/([^/:]+))?$/;

export function matches(method, pathname) {
  if (method === 'POST') return METHODS.test(pathname);
  return method === 'GET' && LISTING.test(pathname);
}

export function keyOf(req, url) {
  return req.headers['x-goog-api-key'] || url.searchParams.get('key') || bearerToken(req);
}

/** Google's canonical status names (google.rpc.Code) for the HTTP statuses the API answers with. */
const STATUS = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
};

function sendError(res, code, message, details) {
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(
    `${JSON.stringify({ error: { code, message, status: STATUS[code] ?? 'UNKNOWN', ...(details ? { details } : {}) } }, null, 2)}\n`,
  );
}

const errorInfo = (reason) => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain: 'googleapis.com',
  metadata: { service: 'generativelanguage.googleapis.com' },
});

/**
 * server.mjs answers every key mismatch with error(res, 401, ...). The Gemini API does not use 401
 * for API keys; it answers as Google does:
 *   wrong key in x-goog-api-key or ?key=   400 INVALID_ARGUMENT "API key not valid..." (API_KEY_INVALID)
 *   no key at all                          403 PERMISSION_DENIED "...unregistered callers..."
 *   a bearer token that is not a token     401 UNAUTHENTICATED (ACCESS_TOKEN_TYPE_UNSUPPORTED)
 */
export function error(res, status, message) {
  if (status !== 401) return sendError(res, status, message);
  const req = res.req;
  const url = new URL(req?.url ?? '/', 'http://standin');
  if (req?.headers['x-goog-api-key'] || url.searchParams.get('key')) {
    const text = 'API key not valid. Please pass a valid API key.';
    return sendError(res, 400, text, [
      errorInfo('API_KEY_INVALID'),
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: text },
    ]);
  }
  if (req?.headers.authorization) {
    return sendError(
      res,
      401,
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED')],
    );
  }
  return sendError(
    res,
    403,
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  );
}

export async function handle({ res, url, body, scenario }) {
  if (res.req.method === 'GET') return listing(res, url);
  const [, id, method] = METHODS.exec(url.pathname);
  const model = decodeURIComponent(id);
  const request = body && typeof body === 'object' ? body : {};
  switch (method) {
    case 'countTokens':
      return json(res, { totalTokens: tokens(request.contents ?? request.generateContentRequest?.contents) });
    case 'embedContent':
      return json(res, { embedding: { values: embedding(request.content) } });
    case 'generateContent':
      return json(res, envelope(request, model, answer(request, scenario.mode), true));
    case 'streamGenerateContent': {
      const chunks = streamed(request, model, answer(request, scenario.mode));
      if (url.searchParams.get('alt') !== 'sse') return json(res, chunks); // without alt=sse: one JSON array
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
      res.end();
      return;
    }
  }
}

function json(res, value) {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(`${JSON.stringify(value)}\n`);
}

// ---- the model ------------------------------------------------------------------------------

/** The model's turn: one functionCall part, or a text part. */
function answer(request, mode) {
  const declarations = (request.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  const conversation = { text: userText(request.contents), toolOutputs: toolOutputs(request.contents), mode };
  // A side task (routing, checks, compression): JSON when a schema is asked for, else a short text.
  if (declarations.length === 0) {
    const schema = request.generationConfig?.responseJsonSchema ?? request.generationConfig?.responseSchema;
    return { text: schema ? JSON.stringify(instanceOf(schema)) : sideText(conversation) };
  }
  const action = nextAction(conversation);
  if (action.kind === 'final') return { text: action.text };
  const call = functionCall(action, declarations);
  if (!call) return { text: `I cannot run commands here: no ${SHELL} tool was offered.` };
  // Thinking models sign their first function call part; clients send the signature back with it.
  return { functionCall: call, thoughtSignature: crypto.randomBytes(24).toString('base64') };
}

/** A GenerateContentResponse; `last` carries finishReason and the candidates' token count. */
function envelope(request, model, part, last, responseId = crypto.randomBytes(12).toString('base64url')) {
  const prompt = tokens([request.systemInstruction, request.contents, request.tools]);
  const output = last ? tokensOfText(JSON.stringify(part)) : undefined;
  return {
    candidates: [
      { content: { parts: [part], role: 'model' }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 },
    ],
    usageMetadata: {
      promptTokenCount: prompt,
      ...(last ? { candidatesTokenCount: output } : {}),
      totalTokenCount: prompt + (output ?? 0),
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
    },
    modelVersion: model,
    responseId,
  };
}

/** The stream's chunks: a function call comes whole in one chunk, text in two. */
function streamed(request, model, part) {
  const id = crypto.randomBytes(12).toString('base64url');
  if (part.text === undefined || part.text.length < 2) return [envelope(request, model, part, true, id)];
  const cut = Math.ceil(part.text.length / 2);
  return [
    envelope(request, model, { text: part.text.slice(0, cut) }, false, id),
    envelope(request, model, { text: part.text.slice(cut) }, true, id),
  ];
}

const SHELL = 'run_shell_command';
const WRITE = 'write_file';

/** The call for an action, with the parameters the offered tool declares; undefined when none fits. */
function functionCall(action, declarations) {
  const byName = new Map(declarations.map((d) => [d.name, d]));
  if (action.kind === 'write' && byName.has(WRITE)) {
    return {
      name: WRITE,
      args: withRequired(byName.get(WRITE), { file_path: action.path, content: action.content }),
    };
  }
  if (!byName.has(SHELL)) return undefined;
  const description = action.kind === 'write' ? `Write ${action.path}` : 'Run a Spec Kit script';
  return { name: SHELL, args: withRequired(byName.get(SHELL), { command: asShell(action), description }) };
}

/** Keeps the arguments the tool declares and fills any other required one from its schema. */
function withRequired(declaration, wanted) {
  const schema = declaration.parametersJsonSchema ?? declaration.parameters ?? {};
  const properties = schema.properties ?? {};
  const args = Object.fromEntries(Object.entries(wanted).filter(([k]) => k in properties));
  for (const k of schema.required ?? []) if (!(k in args)) args[k] = instanceOf(properties[k] ?? {});
  return args;
}

/** The text of the user's turns (not tool results), which is where the phase's request is. */
function userText(contents = []) {
  return contents
    .filter((c) => (c.role ?? 'user') === 'user')
    .flatMap((c) => c.parts ?? [])
    .filter((p) => typeof p.text === 'string' && !p.thought)
    .map((p) => p.text)
    .join('\n');
}

/** Every tool result in the conversation, in order, as text. */
function toolOutputs(contents = []) {
  return contents
    .flatMap((c) => c.parts ?? [])
    .filter((p) => p.functionResponse)
    .map(({ functionResponse: { response } }) => {
      if (typeof response?.output === 'string') return response.output;
      if (typeof response?.error === 'string') return response.error;
      return JSON.stringify(response ?? {});
    });
}

/** Plain-text side tasks (history compression): a summary that does not end the phase early. */
function sideText(conversation) {
  const action = nextAction(conversation);
  if (action.kind === 'final') return action.text;
  return '<state_snapshot>\n<overall_goal>Run the requested Spec Kit phase.</overall_goal>\n</state_snapshot>';
}

/**
 * A value of a JSON schema (OpenAPI-style `responseSchema` or JSON Schema `responseJsonSchema`):
 * the first enum value, the minimum (or the low end of a range the description states, or 0),
 * false, empty arrays, objects with their required properties. gemini-cli's checks read that as
 * "no loop", "the user speaks next", "simple task".
 */
export function instanceOf(schema = {}) {
  if (schema.enum?.length) return preferred(schema.enum);
  if ('const' in schema) return schema.const;
  const type = String(Array.isArray(schema.type) ? schema.type[0] : (schema.type ?? 'object')).toLowerCase();
  switch (type) {
    case 'string':
      return 'The stand-in model has nothing to add.';
    case 'number':
    case 'integer':
      return schema.minimum ?? lowerBound(schema.description) ?? 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default: {
      const properties = schema.properties ?? {};
      const keys = schema.required ?? Object.keys(properties);
      return Object.fromEntries(keys.map((k) => [k, instanceOf(properties[k] ?? {})]));
    }
  }
}

/** The low end of a range a description gives ("Complexity score from 1-100."), if any. */
function lowerBound(description = '') {
  const m = /(-?\d+(?:\.\d+)?)\s*(?:-|to|–)\s*-?\d/.exec(description);
  return m ? Number(m[1]) : undefined;
}

/** Enum answers that keep a client moving: the user (not the model) speaks next. */
function preferred(values) {
  return values.includes('user') ? 'user' : values[0];
}

const tokensOfText = (text) => Math.max(1, Math.ceil(String(text).length / 4));
const tokens = (contents) => tokensOfText(JSON.stringify(contents ?? []));

function embedding(content) {
  const hash = crypto
    .createHash('sha256')
    .update(JSON.stringify(content ?? {}))
    .digest();
  return Array.from({ length: 8 }, (_, i) => hash[i] / 255);
}

// ---- model listing ----------------------------------------------------------------------------

const MODELS = [
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
  'gemini-3-pro-preview',
  'gemini-3-flash-preview',
];

const modelResource = (id) => ({
  name: `models/${id}`,
  version: '001',
  displayName: id,
  description: 'Stand-in model',
  inputTokenLimit: 1048576,
  outputTokenLimit: 65536,
  supportedGenerationMethods: [
    'generateContent',
    'countTokens',
    'createCachedContent',
    'batchGenerateContent',
  ],
  temperature: 1,
  topP: 0.95,
  topK: 64,
  maxTemperature: 2,
  thinking: true,
});

function listing(res, url) {
  const id = LISTING.exec(url.pathname)[1];
  if (!id) return json(res, { models: MODELS.map(modelResource) });
  return json(res, modelResource(decodeURIComponent(id)));
}
