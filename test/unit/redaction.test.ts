import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { MASK, Redactor } from '../../src/redaction.js';
import { readWorkerSecrets } from '../../src/secrets.js';

const GHP = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`; // 36 characters after the prefix
const PAT = `github_pat_11ABCDEFG0123456789_${'x'.repeat(59)}`;
const OPENAI = `sk-proj-${'Ab3_'.repeat(12)}`;
const ANTHROPIC = `sk-ant-api03-${'Zy9-'.repeat(20)}`;
const AWS = 'AKIAIOSFODNN7EXAMPLE';
const GOOGLE = `AIzaSy${'B'.repeat(33)}`;
const ENV_SECRET = 'hunter2-correct-horse';

const redactor = new Redactor([ENV_SECRET]);

async function throughStream(r: Redactor, chunks: Buffer[]): Promise<Buffer> {
  return buffer(Readable.from(chunks).pipe(r.redactStream()));
}

function splitAt(text: string, ...cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const edges = [0, ...cuts, bytes.length];
  return edges.slice(1).map((end, i) => bytes.subarray(edges[i], end));
}

describe('Redactor.fromEnv', () => {
  it('takes the values of secret-named variables, ignoring short ones and other variables', () => {
    const env = {
      GITHUB_TOKEN: 'tok-123456',
      GH_TOKEN: 'gh-abcdef',
      GIT_TOKEN: 'git-abcdef',
      CODEX_API_KEY: 'codex-key-1',
      OPENAI_API_KEY: 'openai-key-1',
      ANTHROPIC_API_KEY: 'anthropic-key-1',
      GEMINI_API_KEY: 'gemini-key-1',
      DB_PASSWORD: 'pa55word!',
      MY_CLIENT_SECRET: 'client-secret-1',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
      SHORT_TOKEN: 'abc12',
      HOME: '/home/someone-long',
      SPECKIT_AGENT: 'scripted',
    };
    const r = Redactor.fromEnv(env, readWorkerSecrets(env));
    const text =
      'tok-123456 gh-abcdef git-abcdef codex-key-1 openai-key-1 anthropic-key-1 gemini-key-1 ' +
      'pa55word! client-secret-1 wJalrXUtnFEMI/K7MDENG abc12 /home/someone-long scripted';
    expect(r.redact(text)).toBe(`${Array(10).fill(MASK).join(' ')} abc12 /home/someone-long scripted`);
  });

  it('takes every secret the worker hands on, whatever the name of its variable', () => {
    const r = Redactor.fromEnv(
      {},
      { gitToken: 'git-token-1', agentKeys: { AGENT_CREDENTIAL: 'agent-key-1' } },
    );
    expect(r.redact('git-token-1 agent-key-1')).toBe(`${MASK} ${MASK}`);
  });

  it('masks the longest of two secrets where one contains the other', () => {
    const r = new Redactor(['abcdef', 'abcdefghij']);
    expect(r.redact('x abcdefghij y abcdef z')).toBe(`x ${MASK} y ${MASK} z`);
  });
});

describe('Redactor.redact', () => {
  it.each([
    ['a GitHub token', `token ${GHP} used`, `token ${MASK} used`],
    [
      'an OAuth, server and refresh token',
      `gho_${GHP.slice(4)} ghs_${GHP.slice(4)} ghr_${GHP.slice(4)}`,
      `${MASK} ${MASK} ${MASK}`,
    ],
    ['a fine-grained GitHub token', `GITHUB_TOKEN=${PAT}`, `GITHUB_TOKEN=${MASK}`],
    ['an OpenAI key', `key: ${OPENAI}.`, `key: ${MASK}.`],
    ['an Anthropic key', `"${ANTHROPIC}"`, `"${MASK}"`],
    ['an AWS access key id', `aws ${AWS}`, `aws ${MASK}`],
    ['a Google API key', `?key=${GOOGLE}&q=1`, `?key=${MASK}&q=1`],
    ['a bearer token', 'Authorization: Bearer eyJhbGciOi.eyJzdWIi.SflKxw', `Authorization: Bearer ${MASK}`],
    [
      'credentials in a URL',
      'fatal: unable to access https://x-access-token:s3cr3t@github.com/acme/app.git/',
      `fatal: unable to access https://${MASK}@github.com/acme/app.git/`,
    ],
    ['a secret from the environment', `echo ${ENV_SECRET}!`, `echo ${MASK}!`],
  ])('masks %s', (_what, text, expected) => {
    expect(redactor.redact(text)).toBe(expected);
  });

  it.each([
    'tasks-template-for-the-whole-feature-directory',
    'ssh://git@github.com/acme/app.git and git@github.com:acme/app.git',
    'https://github.com/acme/app.git',
    'ghp_tooshort',
    'Bearer of bad news',
    'specs/001-share-lists/spec.md',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redactor.redact(text)).toBe(text);
  });
});

describe('Redactor.redactObject', () => {
  it('redacts every string, deeply, and keeps the rest', () => {
    const when = new Date(0);
    const value = {
      status: 'failed',
      exitCode: 1,
      error: `push failed: https://u:${ENV_SECRET}@host/r.git`,
      phases: [{ name: 'clone', note: GHP }, null, true],
      nested: { deeper: { list: [AWS] } },
      when,
    };
    expect(redactor.redactObject(value)).toEqual({
      status: 'failed',
      exitCode: 1,
      error: `push failed: https://${MASK}@host/r.git`,
      phases: [{ name: 'clone', note: MASK }, null, true],
      nested: { deeper: { list: [MASK] } },
      when,
    });
    expect(value.phases[0]).toEqual({ name: 'clone', note: GHP });
  });
});

describe('Redactor.redactStream', () => {
  const text = [
    `cloning https://x-access-token:${ENV_SECRET}@github.com/acme/app.git`,
    `task-management-feature: token ${GHP} and ${PAT}`,
    `keys ${OPENAI} ${ANTHROPIC} ${AWS} ${GOOGLE}`,
    'curl -H "Authorization: Bearer abcdefgh.ijklmnop.qrstuvwx" https://api',
    `${ENV_SECRET}${ENV_SECRET} ends with ${GHP}`,
  ].join('\n');
  const expected = redactor.redact(text);

  it('masks what redact() masks, wherever the output is cut into two chunks', async () => {
    const outputs = await Promise.all(
      Array.from({ length: Buffer.byteLength(text) + 1 }, (_, cut) =>
        throughStream(redactor, splitAt(text, cut)),
      ),
    );
    for (const out of outputs) expect(out.toString()).toBe(expected);
  });

  it('masks secrets that arrive one byte at a time', async () => {
    const bytes = Buffer.from(text);
    const chunks = Array.from(bytes, (b) => Buffer.from([b]));
    expect((await throughStream(redactor, chunks)).toString()).toBe(expected);
  });

  it('masks a multi-byte secret split inside one of its characters, and passes other bytes unchanged', async () => {
    const r = new Redactor(['pässwörd-ünïcode']);
    const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x00, 0xc3]);
    const input = Buffer.concat([Buffer.from('before pässwörd-ünïcode after '), invalidUtf8]);
    const cut = input.indexOf(Buffer.from('ö')) + 1;
    const out = await throughStream(r, [input.subarray(0, cut), input.subarray(cut)]);
    expect(out).toEqual(Buffer.concat([Buffer.from(`before ${MASK} after `), invalidUtf8]));
  });

  it('holds back a bounded tail, never the whole output', async () => {
    const stream = redactor.redactStream();
    let emitted = 0;
    stream.on('data', (b: Buffer) => {
      emitted += b.length;
    });
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 10_000; i++) stream.write(line); // 1 MB
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toBeGreaterThan(1_000_000 - 64 * 1024);
    stream.end();
    await new Promise((resolve) => stream.on('end', resolve));
    expect(emitted).toBe(1_000_000);
  });

  /** What the stream has emitted once the chunks written so far went through it, without ending it. */
  function live(r: Redactor) {
    const stream = r.redactStream();
    let emitted = '';
    stream.on('data', (b: Buffer) => {
      emitted += b.toString();
    });
    return {
      async write(text: string): Promise<string> {
        stream.write(Buffer.from(text));
        await new Promise((resolve) => setImmediate(resolve));
        return emitted;
      },
    };
  }

  it('emits a line as soon as it is written, before the stream ends', async () => {
    const out = live(redactor);
    expect(await out.write('[scripted-agent] specify: waiting 120s\n')).toBe(
      '[scripted-agent] specify: waiting 120s\n',
    );
    expect(await out.write('Error: Authorization: Bearer abcdefgh.ijkl rejected\nnext')).toBe(
      `[scripted-agent] specify: waiting 120s\nError: Authorization: Bearer ${MASK} rejected\n`,
    );
  });

  it('emits a partial line up to where a secret could begin', async () => {
    const out = live(redactor);
    expect(await out.write('progress 42% ')).toBe('progress 42% ');
    expect(await out.write('token ghp_a1B2')).toBe('progress 42% token ');
  });

  it.each([
    ['a GitHub token', 'token ', GHP],
    ['a fine-grained GitHub token', 'GITHUB_TOKEN=', PAT],
    ['an OpenAI key', 'key: ', OPENAI],
    ['an Anthropic key', '"', ANTHROPIC],
    ['an AWS access key id', 'aws ', AWS],
    ['a Google API key', '?key=', GOOGLE],
    ['a bearer token', 'curl -H "Authorization: ', 'Bearer eyJhbGciOi.eyJzdWIi.SflKxw'],
    ['credentials in a URL', 'fatal: unable to access ', 'https://x-access-token:s3cr3t@'],
    ['a secret from the environment', 'echo ', ENV_SECRET],
    ['a worker secret that is not a word', 'x = ', '%%pa55:w0rd!!'],
  ])(
    'never emits any part of %s cut anywhere, and the whole line once it ends',
    async (_what, before, secret) => {
      const r = new Redactor([ENV_SECRET, '%%pa55:w0rd!!']);
      const line = `${before}${secret}, then more\n`;
      for (let cut = 1; cut < secret.length; cut++) {
        const out = live(r);
        expect(await out.write(before + secret.slice(0, cut))).toBe(before);
        expect(await out.write(line.slice(before.length + cut))).toBe(r.redact(line));
      }
    },
  );

  it('refuses a secret too long to hold back, saying what to do', () => {
    expect(() => new Redactor(['s'.repeat(70_000)])).toThrow(
      /longer than the 65536 bytes.*rename its variable/,
    );
  });
});

describe('Redactor.redactFile', () => {
  it('masks a file a container wrote in place, leaving no partial file behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'redact-'));
    const file = path.join(dir, 'diff.patch');
    await writeFile(file, `+token = "${ENV_SECRET}"\n+plain line\n`);
    await redactor.redactFile(file);
    expect(await readFile(file, 'utf8')).toBe(`+token = "${MASK}"\n+plain line\n`);
    expect(await readdir(dir)).toEqual(['diff.patch']);
  });
});
