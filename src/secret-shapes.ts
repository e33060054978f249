// What a stream can emit at once without giving away part of a secret: only text where no secret
// can still be arriving. A secret may be arriving wherever the end of the text so far could be
// the beginning of one, so each credential shape is kept as a sequence of character classes from
// which both its pattern and the pattern of its beginnings are made.

/** One character class repeated min..max times. */
type Atom = readonly [charClass: string, min: number, max: number];

export interface Shape {
  /** Starts at a word boundary (`\b`), so `task-...` is not read as an `sk-` key. */
  boundary?: boolean;
  atoms: readonly Atom[];
}

/** Each character of a literal as an atom of its own. */
export function literal(text: string): Atom[] {
  return [...text].map((c) => [c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 1, 1] as const);
}

export function shapeSource({ boundary, atoms }: Shape): string {
  return (boundary ? '\\b' : '') + atoms.map(repeat).join('');
}

/**
 * Matches, anchored at the end of the text, any non-empty beginning of a match of the shape, or a
 * whole match that more characters could still lengthen. Nested rather than one alternative per
 * length, so its size grows with the number of atoms only.
 */
export function beginningSource({ boundary, atoms }: Shape): string {
  let rest = '$';
  for (let i = atoms.length - 1; i >= 0; i--) {
    const [charClass, , max] = atoms[i] as Atom;
    const partial = `${charClass}{${i === 0 ? 1 : 0},${max}}$`;
    rest = `(?:${repeat(atoms[i] as Atom)}${rest}|${partial})`;
  }
  return (boundary ? '\\b' : '') + rest;
}

function repeat([charClass, min, max]: Atom): string {
  if (min === 1 && max === 1) return charClass;
  return min === max ? `${charClass}{${min}}` : `${charClass}{${min},${max}}`;
}

/**
 * The beginnings of literal secrets, found with a Knuth-Morris-Pratt automaton per secret (a
 * pattern nested as deep as a secret is long would not compile), compared case-insensitively as
 * the `i` flag compares: one character per byte (latin1), folded as RegExp folds without `u`.
 */
export class LiteralBeginnings {
  private readonly secrets: { folded: Uint16Array; fallback: Int32Array }[];

  constructor(latin1Secrets: string[]) {
    this.secrets = latin1Secrets.map((s) => {
      const folded = Uint16Array.from(s, (c) => FOLD[c.charCodeAt(0)] ?? 0);
      return { folded, fallback: fallbackTable(folded) };
    });
  }

  /** Where the longest proper beginning of a secret at the end of `text` starts, at `from` or later. */
  earliestStart(text: string, from: number): number {
    let earliest = text.length;
    for (const { folded, fallback } of this.secrets) {
      // A proper beginning is shorter than the secret: the automaton needs only that much text.
      const start = Math.max(from, text.length - folded.length + 1);
      let state = 0;
      for (let i = start; i < text.length; i++) {
        const c = FOLD[text.charCodeAt(i)] ?? 0;
        while (state > 0 && folded[state] !== c) state = fallback[state - 1] ?? 0;
        if (folded[state] === c) state++;
        if (state === folded.length) state = fallback[state - 1] ?? 0;
      }
      if (state > 0) earliest = Math.min(earliest, text.length - state);
    }
    return earliest;
  }
}

function fallbackTable(p: Uint16Array): Int32Array {
  const table = new Int32Array(p.length);
  for (let i = 1, k = 0; i < p.length; i++) {
    while (k > 0 && p[i] !== p[k]) k = table[k - 1] ?? 0;
    if (p[i] === p[k]) k++;
    table[i] = k;
  }
  return table;
}

/** RegExp's case folding without the `u` flag (ECMA-262 Canonicalize), for the 256 latin1 characters. */
const FOLD = Array.from({ length: 256 }, (_, code) => {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const folded = upper.charCodeAt(0);
  return code >= 128 && folded < 128 ? code : folded;
});
