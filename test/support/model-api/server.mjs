// A local stand-in for the model APIs the agent CLIs call (OpenAI Responses, Anthropic Messages,
// Gemini generateContent), run inside a container with no network but loopback
// (test/support/model-api.ts). Job containers join that network namespace, so an agent CLI can
// reach this server and nothing else.
//
// Plain Node.js (no dependencies): it runs on the job image's node. State lives in STANDIN_DIR:
//   scenario.json  read on every request: { mode: 'work' | 'nothing' | 'stall', key: '<the valid key>' }
//   requests.jsonl every request, one JSON object a line (key headers replaced by whether they matched)
//   ready          written once the server listens
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as anthropic from './anthropic-messages.mjs';
import * as gemini from './gemini.mjs';
import * as openai from './openai-responses.mjs';

const dir = process.env.STANDIN_DIR ?? '/standin';
const port = Number(process.env.STANDIN_PORT ?? 8080);

/** Each provider: `matches(method, pathname)`, `keyOf(req, url)`, `handle(ctx)`, `error(res, status, message)`. */
const PROVIDERS = [openai, anthropic, gemini];

function scenario() {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
  } catch {
    return { mode: 'work', key: 'test-key' };
  }
}

function log(entry) {
  appendFileSync(
    path.join(dir, 'requests.jsonl'),
    `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`,
  );
}

const KEY_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'];

function safeHeaders(headers, keyMatched) {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      KEY_HEADERS.includes(k) ? `<key ${keyMatched ? 'valid' : 'invalid'}>` : v,
    ]),
  );
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://standin');
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const raw = Buffer.concat(chunks).toString('utf8');
  let body;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    body = raw;
  }
  const s = scenario();
  const provider = PROVIDERS.find((p) => p.matches(req.method, url.pathname));
  const key = provider?.keyOf(req, url);
  const keyMatched = key === s.key;
  const query = Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'key'));
  log({
    provider: provider?.name ?? null,
    method: req.method,
    path: url.pathname,
    query,
    headers: safeHeaders(req.headers, keyMatched),
    keyMatched,
    mode: s.mode,
    body,
  });

  if (!provider) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { message: `no stand-in route for ${req.method} ${url.pathname}`, type: 'not_found' },
      }),
    );
    return;
  }
  if (!keyMatched) return provider.error(res, 401, 'invalid api key');
  // A model that never answers: headers never come, the connection stays open until the client goes.
  if (s.mode === 'stall') return;
  try {
    await provider.handle({ req, res, url, body, scenario: s });
  } catch (err) {
    log({ error: String(err?.stack ?? err) });
    if (!res.headersSent) provider.error(res, 500, String(err?.message ?? err));
    else res.end();
  }
});

server.listen(port, '127.0.0.1', () => writeFileSync(path.join(dir, 'ready'), String(port)));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
