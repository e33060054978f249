// Stand-in for the anthropic API (see server.mjs). Not written yet: every request is answered 501.
export const name = 'anthropic';
export function matches(_method, _pathname) {
  return false;
}
export function keyOf(_req, _url) {
  return undefined;
}
export function error(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message } }));
}
export async function handle({ res }) {
  error(res, 501, 'not implemented');
}
