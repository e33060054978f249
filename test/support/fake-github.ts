// A local stand-in for the GitHub REST API: the pull request and label endpoints the forge uses,
// with state in memory. Every request and every response is checked against GitHub's published
// OpenAPI description (@octokit/openapi), so a client that passes here sends what GitHub accepts.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** Whether the Authorization header carried the expected token; the header itself is not kept. */
  authorized: boolean;
  status: number;
}

export interface Violation {
  method: string;
  path: string;
  where: 'request' | 'response';
  problems: string[];
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests fail. Default 1. */
  times?: number;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  labels: string[];
}

export interface FakeGitHub {
  /** The API root, to use as the forge's baseUrl. */
  url: string;
  requests: RecordedRequest[];
  violations: Violation[];
  pulls(owner: string, repo: string): FakePull[];
  /** The next `times` requests matching method and path get this response instead. */
  failNext(method: string, path: RegExp, fault: Fault): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
interface Call {
  owner: string;
  repo: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}
interface Route {
  method: string;
  template: string;
  handle(call: Call): Reply;
}

export async function startFakeGitHub(options: { token: string }): Promise<FakeGitHub> {
  const openApi = await loadOpenApi();
  const expectedAuth = sha256(options.token);
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  const faults: (Fault & { method: string; path: RegExp })[] = [];
  const state = new Map<string, FakePull[]>();
  const pullsOf = (owner: string, repo: string) => {
    const key = `${owner}/${repo}`.toLowerCase();
    if (!state.has(key)) state.set(key, []);
    return state.get(key) as FakePull[];
  };

  const routes = createRoutes(openApi, pullsOf);

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const text = Buffer.concat(await req.toArray()).toString('utf8');
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query,
      body: undefined,
      authorized: authorized(req.headers.authorization, expectedAuth),
      status: 0,
    };
    requests.push(record);
    const violation = (where: Violation['where'], problems: string[]) =>
      violations.push({ method, path: url.pathname, where, problems });

    const match = matchRoute(routes, method, url.pathname);
    const respond = (): Reply => {
      if (!match) {
        violation('request', [`${method} ${url.pathname} is not an endpoint this fake serves`]);
        return error(404, 'Not Found');
      }
      try {
        record.body = text === '' ? undefined : JSON.parse(text);
      } catch {
        violation('request', ['body is not JSON']);
        return error(400, 'Problems parsing JSON');
      }
      const problems = openApi.checkRequest(match.route, match.params, query, record.body);
      if (problems.length > 0) {
        violation('request', problems);
        return error(400, `Request does not match GitHub's OpenAPI description: ${problems.join('; ')}`);
      }
      const fault = faults.find(
        (f) => f.method === method && f.path.test(url.pathname) && (f.times ?? 1) > 0,
      );
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        const reply = error(fault.status, STATUS_CODES[fault.status] ?? 'Error');
        return { ...reply, body: fault.body ?? reply.body, headers: fault.headers };
      }
      if (!record.authorized) return error(401, 'Bad credentials');
      const { owner = '', repo = '' } = match.params;
      return match.route.handle({ owner, repo, params: match.params, query, body: record.body });
    };
    const reply = respond();
    if (match) {
      // Injected faults too: a test's fake error must look like GitHub's.
      const problems = openApi.checkResponse(match.route, reply.status, reply.body);
      if (problems.length > 0) violation('response', problems);
    }

    record.status = reply.status;
    const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `FAKE:${requests.length}`,
      ...reply.headers,
    });
    res.end(payload);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    pulls: (owner, repo) => structuredClone(pullsOf(owner, repo)),
    failNext: (method, path, fault) => faults.push({ ...fault, method: method.toUpperCase(), path }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function createRoutes(openApi: OpenApi, pullsOf: (owner: string, repo: string) => FakePull[]): Route[] {
  /** A route on one pull request (its number in path parameter `param`): 404, as GitHub, for an unknown one. */
  const onPull =
    (param: string, handle: (pull: FakePull, call: Call) => Reply) =>
    (call: Call): Reply => {
      const pull = pullsOf(call.owner, call.repo).find((p) => p.number === Number(call.params[param]));
      return pull ? handle(pull, call) : error(404, 'Not Found');
    };
  return [
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/pulls',
      handle({ owner, repo, query }) {
        const state = query.state ?? 'open';
        const found = pullsOf(owner, repo).filter(
          (p) =>
            (state === 'all' || p.state === state) &&
            (!query.head || `${owner}:${p.head}` === query.head) &&
            (!query.base || p.base === query.base),
        );
        return {
          status: 200,
          body: found.map((p) => openApi.pullRequest('pull-request-simple', owner, repo, p)),
        };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/pulls',
      handle({ owner, repo, body }) {
        const { head, base, title = '', body: text = '', draft = false } = body as Partial<FakePull>;
        const pulls = pullsOf(owner, repo);
        // As GitHub does: one open pull request per head and base.
        if (pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
          return validationFailed(`A pull request already exists for ${owner}:${head}.`);
        }
        const pull: FakePull = {
          number: pulls.length + 1,
          title,
          body: text,
          state: 'open',
          draft,
          head: head as string,
          base: base as string,
          labels: [],
        };
        pulls.push(pull);
        return { status: 201, body: openApi.pullRequest('pull-request', owner, repo, pull) };
      },
    },
    {
      method: 'PATCH',
      template: '/repos/{owner}/{repo}/pulls/{pull_number}',
      handle: onPull('pull_number', (pull, { owner, repo, body }) => {
        const { title, body: text, state, base } = body as Partial<FakePull>;
        Object.assign(pull, {
          ...(title !== undefined && { title }),
          ...(text !== undefined && { body: text }),
          ...(state && { state }),
          ...(base && { base }),
        });
        return { status: 200, body: openApi.pullRequest('pull-request', owner, repo, pull) };
      }),
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
      handle: onPull('issue_number', (pull, { owner, repo, body }) => {
        const names = (body as { labels: (string | { name: string })[] }).labels.map((l) =>
          typeof l === 'string' ? l : l.name,
        );
        pull.labels = [...new Set([...pull.labels, ...names])];
        return { status: 200, body: pull.labels.map((name) => openApi.label(owner, repo, name)) };
      }),
    },
  ];
}

function matchRoute(routes: Route[], method: string, path: string) {
  for (const route of routes) {
    const pattern = new RegExp(`^${route.template.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
    const groups = pattern.exec(path)?.groups;
    if (route.method === method && groups) {
      const params = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]));
      return { route, params };
    }
  }
  return undefined;
}

// --- GitHub's OpenAPI description -------------------------------------------------------------

interface OpenApi {
  checkRequest(
    route: Route,
    params: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
  ): string[];
  checkResponse(route: Route, status: number, body: unknown): string[];
  pullRequest(
    example: 'pull-request' | 'pull-request-simple',
    owner: string,
    repo: string,
    pull: FakePull,
  ): Json;
  label(owner: string, repo: string, name: string): Json;
}

interface Operation {
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
  responses: Record<string, { $ref: string } | { content?: Record<string, unknown> }>;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { examples: Record<string, { value: Json }> };
}

const SPEC_ID = 'api.github.com';
let loading: Promise<OpenApi> | undefined;

/** Loads the description once per test process (13 MB of JSON), and compiles validators lazily. */
function loadOpenApi(): Promise<OpenApi> {
  loading ??= readFile(
    createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'),
    'utf8',
  ).then((text) => openApiOf(JSON.parse(text) as Spec));
  return loading;
}

function openApiOf(spec: Spec): OpenApi {
  // OpenAPI 3.0 schemas are JSON Schema plus `nullable` (which Ajv knows) and annotations such as
  // `example` and `x-github`, which strict: false lets through. Refs point into the whole document.
  const newAjv = (coerceTypes: boolean) => {
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      logger: false,
      validateSchema: false,
      coerceTypes,
    });
    addFormats.default(ajv);
    return ajv.addSchema(spec as object, SPEC_ID);
  };
  const bodies = newAjv(false);
  const parameters = newAjv(true); // path and query values arrive as strings
  const cache = new Map<string, ValidateFunction>();
  const compile = (ajv: Ajv, key: string, schema: () => object) => {
    if (!cache.has(key)) cache.set(key, ajv.compile(schema()));
    return cache.get(key) as ValidateFunction;
  };
  const pointer = (...parts: string[]) =>
    `${SPEC_ID}#/${parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
  const resolve = <T>(node: T | { $ref: string }): [T, string[] | undefined] => {
    if (!(node && typeof node === 'object' && '$ref' in node)) return [node, undefined];
    const parts = node.$ref.slice(2).split('/');
    return [parts.reduce((at: unknown, part) => (at as Json)[part], spec) as T, parts];
  };
  const operation = (route: Route) => {
    const op = spec.paths[route.template]?.[route.method.toLowerCase()];
    if (!op) throw new Error(`${route.method} ${route.template} is not in GitHub's OpenAPI description`);
    return op;
  };
  const problems = (validate: ValidateFunction, data: unknown, prefix: string) =>
    validate(data)
      ? []
      : (validate.errors ?? []).map((e: ErrorObject) => `${prefix}${e.instancePath} ${e.message}`);

  return {
    checkRequest(route, params, query, body) {
      const op = operation(route);
      const at = [route.template, route.method.toLowerCase()];
      const validateParameters = compile(parameters, `${at} parameters`, () => {
        const group = () => ({ type: 'object', properties: {} as Json, required: [] as string[] });
        const schema = { path: group(), query: group() };
        op.parameters?.forEach((node, i) => {
          const [param, refParts] = resolve<Parameter>(node);
          const target = schema[param.in as 'path' | 'query'];
          if (!target) return;
          target.properties[param.name] = {
            $ref: pointer(...(refParts ?? ['paths', ...at, 'parameters', `${i}`]), 'schema'),
          };
          if (param.required) target.required.push(param.name);
        });
        // An undocumented query parameter is a client bug GitHub would silently ignore.
        return {
          type: 'object',
          properties: { path: schema.path, query: { ...schema.query, additionalProperties: false } },
        };
      });
      const found = problems(validateParameters, { path: { ...params }, query: { ...query } }, '');
      const content = op.requestBody?.content['application/json'];
      if (!content) return body === undefined ? found : [...found, 'the operation takes no body'];
      if (body === undefined) return op.requestBody?.required ? [...found, 'the body is required'] : found;
      const validateBody = compile(bodies, `${at} body`, () => ({
        $ref: pointer('paths', ...at, 'requestBody', 'content', 'application/json', 'schema'),
      }));
      return [...found, ...problems(validateBody, body, 'body')];
    },

    checkResponse(route, status, body) {
      const at = [route.template, route.method.toLowerCase()];
      const node = operation(route).responses[status];
      // GitHub documents some error statuses per operation, never 401, 429 or 5xx.
      if (!node) return status < 400 ? [`status ${status} is not documented`] : [];
      const [response, refParts] = resolve(node);
      if (!('content' in response) || !response.content)
        return body === undefined ? [] : ['no body is documented'];
      const validate = compile(bodies, `${at} ${status}`, () => ({
        $ref: pointer(
          ...(refParts ?? ['paths', ...at, 'responses', `${status}`]),
          'content',
          'application/json',
          'schema',
        ),
      }));
      return problems(validate, body, `${status} body`);
    },

    pullRequest(example, owner, repo, pull) {
      const template = fromExample(spec, example, owner, repo, pull.number);
      const sha = createHash('sha1').update(pull.head).digest('hex');
      return {
        ...template,
        number: pull.number,
        id: pull.number,
        state: pull.state,
        locked: false,
        active_lock_reason: null,
        title: pull.title,
        body: pull.body,
        draft: pull.draft,
        labels: pull.labels.map((name) => this.label(owner, repo, name)),
        milestone: null,
        assignee: null,
        assignees: [],
        requested_reviewers: [],
        requested_teams: [],
        closed_at: null,
        merged_at: null,
        merge_commit_sha: null,
        head: { ...(template.head as Json), label: `${owner}:${pull.head}`, ref: pull.head, sha },
        base: { ...(template.base as Json), label: `${owner}:${pull.base}`, ref: pull.base },
        ...(example === 'pull-request' && {
          merged: false,
          mergeable: null,
          merged_by: null,
          auto_merge: null,
        }),
      };
    },

    label(owner, repo, name) {
      return {
        ...fromExample(spec, 'label', owner, repo, 0),
        id: Number.parseInt(sha256(name).slice(0, 8), 16),
        name,
        url: `https://api.github.com/repos/${owner}/${repo}/labels/${encodeURIComponent(name)}`,
        // '' and not null: the list endpoint's schema (pull-request-simple) does not allow null here.
        description: '',
        default: false,
      };
    },
  };
}

/** GitHub's own example object, moved to owner/repo and the pull request's number. */
function fromExample(spec: Spec, name: string, owner: string, repo: string, number: number): Json {
  const example = spec.components.examples[name];
  if (!example) throw new Error(`no example ${name} in GitHub's OpenAPI description`);
  const text = JSON.stringify(example.value)
    .replaceAll('octocat/Hello-World', `${owner}/${repo}`)
    .replaceAll('/1347', `/${number}`);
  return JSON.parse(text) as Json;
}

// --- responses --------------------------------------------------------------------------------

function error(status: number, message: string): Reply {
  return {
    status,
    body: { message, documentation_url: 'https://docs.github.com/rest', status: `${status}` },
  };
}

function validationFailed(message: string): Reply {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', code: 'custom', message }],
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
    },
  };
}

function authorized(header: string | undefined, expected: string): boolean {
  const token = /^(?:token|bearer) (.+)$/i.exec(header ?? '')?.[1];
  return token !== undefined && sha256(token) === expected;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
