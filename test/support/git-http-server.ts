// An authenticated git remote over smart HTTP, as GitHub serves one: git's own `git http-backend`
// run as a CGI program behind node:http, with HTTP basic auth (username + token). Repositories are
// the bare repositories under `root`, served at /<path relative to root>.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServerOptions {
  root: string;
  token: string;
  /** GitHub takes any username with a token; git's helpers send x-access-token. */
  username?: string;
}

export interface GitHttpServer {
  /** Clone URL of a repository under root, e.g. url('acme/app.git'); it carries no credentials. */
  url(repoName: string): string;
  close(): Promise<void>;
}

export async function createGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const { root, token, username = 'x-access-token' } = options;
  const expected = `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`;

  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"', 'content-type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    runBackend(root, username, req, res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (repoName) => `http://127.0.0.1:${port}/${repoName}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One CGI request: the request body streams into git http-backend, its output back out. */
function runBackend(root: string, user: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      // Pushes are served (http-backend would also allow them for an authenticated REMOTE_USER).
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: 'true',
      REQUEST_METHOD: req.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length'] && { CONTENT_LENGTH: req.headers['content-length'] }),
      // git sends large fetch negotiations gzipped; http-backend inflates them itself.
      ...(req.headers['content-encoding'] && { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }),
      ...(req.headers['git-protocol'] && { HTTP_GIT_PROTOCOL: String(req.headers['git-protocol']) }),
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    },
  });
  req.pipe(backend.stdin);

  const stderr: Buffer[] = [];
  backend.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let head = Buffer.alloc(0);
  const readHead = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    // Bytes as latin1 keep their offsets, so the match index is the byte index.
    const end = /\r?\n\r?\n/.exec(head.toString('latin1'));
    if (!end) return;
    backend.stdout.off('data', readHead);
    const { status, headers } = parseCgiHead(head.subarray(0, end.index).toString('latin1'));
    res.writeHead(status, headers);
    res.write(head.subarray(end.index + end[0].length));
    backend.stdout.pipe(res);
  };
  backend.stdout.on('data', readHead);
  backend.on('close', () => {
    if (res.headersSent) return;
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`git http-backend gave no response: ${Buffer.concat(stderr).toString()}`);
  });
}

/** CGI response headers; `Status: 404 Not Found` is the HTTP status (200 when absent). */
function parseCgiHead(text: string): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else headers[name] = value;
  }
  return { status, headers };
}
