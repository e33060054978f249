// Masks secrets before text leaves the worker's memory: container output on its way to the
// artifact files, error messages and summaries on their way to the database, logs and history.
import { createReadStream, createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const MASK = '***';

/** Environment variables whose values are secrets (GITHUB_TOKEN, OPENAI_API_KEY, ...). */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY/i;
/** Shorter values ("true", "1", "dev") would mask ordinary words everywhere. */
const MIN_SECRET_LENGTH = 6;

// Credentials recognisable by their shape, wherever they come from. Every pattern has an upper
// bound so the stream knows how far back a secret can start (the quantifier maxima below).
const TOKEN_SHAPES = [
  'gh[pousr]_[A-Za-z0-9]{36,251}', // GitHub classic, OAuth, user, server and refresh tokens
  'github_pat_[A-Za-z0-9_]{22,244}', // GitHub fine-grained personal access tokens
  '\\bsk-[A-Za-z0-9_-]{20,250}', // OpenAI (sk-, sk-proj-) and Anthropic (sk-ant-) keys
  '\\b(?:AKIA|ASIA)[A-Z0-9]{16}', // AWS access key ids
  'AIza[0-9A-Za-z_-]{35}', // Google API keys
];
// These keep what introduces the secret, so a reader still sees what was there.
const BEARER = '\\bBearer\\s{1,8}[A-Za-z0-9._~+/=-]{8,2048}';
const URL_CREDENTIALS = '\\b[a-z][a-z0-9+.-]{0,30}://[^\\s/:@]{1,256}:[^\\s/@]{1,256}@';
/** The longest text the patterns above can match: a bearer token. */
const LONGEST_SHAPE = 'Bearer'.length + 8 + 2048;

/** Bytes a stream holds back at most, whatever the secrets: a bounded delay, never a whole output. */
const MAX_HOLDBACK = 64 * 1024;

export class Redactor {
  private readonly pattern: RegExp;
  /** The same secrets as the stream sees them: one character per byte (latin1), so any bytes pass unchanged. */
  private readonly bytePattern: RegExp;
  private readonly longest: number;

  /** The worker's secrets: the values of its secret-named variables. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): Redactor {
    return new Redactor(
      Object.entries(env)
        .filter(([name]) => SECRET_NAME.test(name))
        .map(([, value]) => value ?? ''),
    );
  }

  constructor(secrets: string[]) {
    const values = [...new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH))];
    this.pattern = combine(values);
    this.bytePattern = combine(values.map((v) => Buffer.from(v, 'utf8').toString('latin1')));
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
   * A byte stream with its secrets masked, even when one straddles two chunks: it holds back the
   * last `longest` bytes (a secret may still be arriving) and a match that crosses the cut, so
   * output lags by at most a few KiB (twice the longest secret) and memory stays bounded.
   */
  redactStream(): Transform {
    const pattern = this.bytePattern;
    const holdback = this.longest;
    let carry = '';
    const redacted = (text: string) => Buffer.from(text.replace(pattern, mask), 'latin1');
    return new Transform({
      transform(chunk: Buffer, _encoding, done) {
        const text = carry + chunk.toString('latin1');
        // Small chunks are gathered first: each scan then covers at least as much new text as it holds back.
        if (text.length < 2 * holdback) {
          carry = text;
          return done();
        }
        const cut = safeCut(text, pattern, holdback);
        carry = text.slice(cut);
        done(null, redacted(text.slice(0, cut)));
      },
      flush(done) {
        done(null, redacted(carry));
      },
    });
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
  const literals = secrets.sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp([...literals, ...TOKEN_SHAPES, BEARER, URL_CREDENTIALS].join('|'), 'gi');
}

function mask(match: string): string {
  const bearer = /^bearer\s+/i.exec(match);
  if (bearer) return `${bearer[0]}${MASK}`;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/(?=.*:.*@$)/i.exec(match);
  if (scheme) return `${scheme[0]}${MASK}@`;
  return MASK;
}

/**
 * Where the text can be cut: everything before the cut is final. Nothing in the last `holdback`
 * characters is, nor a match that crosses the cut; the cut then moves back to just after a
 * non-word character, so a pattern's leading \b sees the same left neighbour on both sides.
 */
function safeCut(text: string, pattern: RegExp, holdback: number): number {
  let cut = Math.max(0, text.length - holdback);
  let lastEnd = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index >= cut) break;
    const end = m.index + m[0].length;
    if (end > cut) {
      cut = m.index;
      break;
    }
    lastEnd = end;
  }
  // Never back into a match already made: its part before the cut would no longer match.
  const floor = Math.max(lastEnd, cut - holdback);
  while (cut > floor && /\w/.test(text.charAt(cut - 1))) cut--;
  return cut;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
