// Masks secrets before text leaves the worker's memory: container output on its way to the
// artifact files, error messages and summaries on their way to the database, logs and history.
import { createReadStream, createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { beginningSource, LiteralBeginnings, literal, type Shape, shapeSource } from './secret-shapes.js';
import { secretValues, type WorkerSecrets } from './secrets.js';

export const MASK = '***';

/** Environment variables whose values are secrets (GITHUB_TOKEN, OPENAI_API_KEY, ...). */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY/i;
/** Shorter values ("true", "1", "dev") would mask ordinary words everywhere. */
const MIN_SECRET_LENGTH = 6;

// Credentials recognisable by their shape, wherever they come from. Every shape has an upper
// bound so the stream knows how far back a secret can start.
const TOKEN_SHAPES: Shape[] = [
  // GitHub classic, OAuth, user, server and refresh tokens
  { atoms: [...literal('gh'), ['[pousr]', 1, 1], ...literal('_'), ['[A-Za-z0-9]', 36, 251]] },
  // GitHub fine-grained personal access tokens
  { atoms: [...literal('github_pat_'), ['[A-Za-z0-9_]', 22, 244]] },
  // OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) keys
  { boundary: true, atoms: [...literal('sk-'), ['[A-Za-z0-9_-]', 20, 250]] },
  // AWS access key ids (AKIA, ASIA)
  { boundary: true, atoms: [...literal('A'), ['[KS]', 1, 1], ...literal('IA'), ['[A-Z0-9]', 16, 16]] },
  // Google API keys
  { atoms: [...literal('AIza'), ['[0-9A-Za-z_-]', 35, 35]] },
  // These keep what introduces the secret, so a reader still sees what was there.
  { boundary: true, atoms: [...literal('Bearer'), ['\\s', 1, 8], ['[A-Za-z0-9._~+/=-]', 8, 2048]] },
  {
    boundary: true,
    atoms: [
      ['[a-z]', 1, 1],
      ['[a-z0-9+.-]', 0, 30],
      ...literal('://'),
      ['[^\\s/:@]', 1, 256],
      ...literal(':'),
      ['[^\\s/@]', 1, 256],
      ...literal('@'),
    ],
  },
];
/** The longest text the shapes above can match: a bearer token. */
const LONGEST_SHAPE = 'Bearer'.length + 8 + 2048;

/** Bytes a stream holds back at most, whatever the secrets: a bounded delay, never a whole output. */
const MAX_HOLDBACK = 64 * 1024;

export class Redactor {
  private readonly pattern: RegExp;
  /** The same secrets as the stream sees them: one character per byte (latin1), so any bytes pass unchanged. */
  private readonly bytePattern: RegExp;
  private readonly longest: number;
  /** The beginnings of the credential shapes, anchored at the end of the text. */
  private readonly beginnings = new RegExp(TOKEN_SHAPES.map(beginningSource).join('|'), 'gi');
  private readonly literalBeginnings: LiteralBeginnings;

  /**
   * The worker's secrets: the values of its secret-named variables, and every secret it hands on
   * to job containers, whatever the name of the variable it came from.
   */
  static fromEnv(env: NodeJS.ProcessEnv, secrets: WorkerSecrets): Redactor {
    return new Redactor([
      ...Object.entries(env)
        .filter(([name]) => SECRET_NAME.test(name))
        .map(([, value]) => value ?? ''),
      ...secretValues(secrets),
    ]);
  }

  constructor(secrets: string[]) {
    const values = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))];
    this.pattern = combine(values);
    const byteValues = values.map((v) => Buffer.from(v, 'utf8').toString('latin1'));
    this.bytePattern = combine(byteValues);
    this.literalBeginnings = new LiteralBeginnings(byteValues);
    this.longest = Math.max(LONGEST_SHAPE, ...values.map((v) => Buffer.byteLength(v)));
    if (this.longest > MAX_HOLDBACK) {
      throw new Error(
        `a secret of ${this.longest} bytes is longer than the ${MAX_HOLDBACK} bytes redaction can hold back: ` +
          'shorten it, or rename its variable so its name does not look like a secret',
      );
    }
  }

  redact(text: string): string {
    return text.replace(this.pattern, mask);
  }

  /** A copy of a JSON-like value with every string redacted; other values are kept as they are. */
  redactObject<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactObject(v)) as T;
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactObject(v)])) as T;
    }
    return value;
  }

  /**
   * A byte stream with its secrets masked, even when one straddles two chunks. It emits at once
   * everything no secret can still be arriving in, so a line reaches the log as soon as it ends:
   * it holds back only from where the end of the text could be the beginning of a secret (a
   * trailing `ghp_12`, `Bearer `, a word that may be a URL scheme, the start of a worker secret),
   * and a match that crosses that point. Memory stays bounded: twice the longest secret at most.
   */
  redactStream(): Transform {
    const pattern = this.bytePattern;
    const pendingFrom = (text: string, from: number) => this.pendingFrom(text, from);
    // The last character emitted, scanned again as the left neighbour a leading \b looks at.
    let left = '';
    let carry = '';
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        const text = left + carry + chunk.toString('latin1');
        const cut = safeCut(text, left.length, pattern, pendingFrom(text, left.length));
        const out = redactFrom(text.slice(0, cut), left.length, pattern);
        left = text.charAt(cut - 1);
        carry = text.slice(cut);
        done(null, Buffer.from(out, 'latin1'));
      },
      flush(done) {
        done(null, Buffer.from(redactFrom(left + carry, left.length, pattern), 'latin1'));
      },
    });
  }

  /** Where a secret may still be arriving in `text` (at `from` or later): its length when nowhere. */
  private pendingFrom(text: string, from: number): number {
    this.beginnings.lastIndex = Math.max(from, text.length - this.longest);
    const shape = this.beginnings.exec(text)?.index ?? text.length;
    return Math.min(shape, this.literalBeginnings.earliestStart(text, from));
  }

  /** Masks the secrets of a file a job container wrote itself (it bypassed the log streams). */
  async redactFile(file: string): Promise<void> {
    const partial = `${file}.redacting`;
    await pipeline(createReadStream(file), this.redactStream(), createWriteStream(partial));
    await rename(partial, file);
  }
}

function combine(secrets: string[]): RegExp {
  // Longest first: of two secrets where one contains the other, the whole of the longer is masked.
  const literals = [...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp([...literals, ...TOKEN_SHAPES.map(shapeSource)].join('|'), 'gi');
}

function mask(match: string): string {
  const bearer = /^bearer\s+/i.exec(match);
  if (bearer) return `${bearer[0]}${MASK}`;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/(?=.*:.*@$)/i.exec(match);
  if (scheme) return `${scheme[0]}${MASK}@`;
  return MASK;
}

/**
 * Where the text can be cut: everything before the cut is final. That is where a secret may still
 * be arriving (`pending`), or earlier, at the start of a match that crosses it.
 */
function safeCut(text: string, from: number, pattern: RegExp, pending: number): number {
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m && m.index < pending; m = pattern.exec(text)) {
    if (m.index + m[0].length > pending) return m.index;
  }
  return pending;
}

/** `text` from `from` on, masked; the text before `from` is only the left neighbour of what follows. */
function redactFrom(text: string, from: number, pattern: RegExp): string {
  let out = '';
  let last = from;
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    out += text.slice(last, m.index) + mask(m[0]);
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
