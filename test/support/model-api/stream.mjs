// How a model streams text, whatever the provider: in a few chunks, as server-sent events. Shared by
// the adapters that stream with SSE event names (anthropic-messages.mjs, openai-responses.mjs).

/** Starts a server-sent event stream; `headers` adds the provider's own (its request id). */
export function openEventStream(res, headers) {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
}

/** One named event: `event: <name>` and its data as JSON. */
export function sendEvent(res, event, data) {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A string in a few chunks, as a model streams it. */
export function pieces(s) {
  const size = Math.max(16, Math.ceil(s.length / 4));
  const out = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out.length ? out : [''];
}
