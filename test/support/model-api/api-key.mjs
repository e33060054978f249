// Where a request carries its API key, shared by the adapters: each provider has a header of its own,
// and gateways and auth-token settings (ANTHROPIC_AUTH_TOKEN) send a bearer token instead.

/** The token of an `Authorization: Bearer` header, if the request has one. */
export function bearerToken(req) {
  return /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
}

/** The key in the provider's own `header` when the request has one, else its bearer token. */
export function headerOrBearer(req, header) {
  const key = req.headers[header];
  if (typeof key === 'string' && key) return key;
  return bearerToken(req);
}
