import fc from 'fast-check';
import { GENERIC_SEED, SEEDS, TOKENS, type Seed } from './seeds.js';
import type { FileKind } from '../../src/core/document.js';

/**
 * The budget. `npm test` runs a few hundred cases in all (seconds); a long run sets FUZZ_RUNS (cases
 * per reader property; the whole-pipeline properties get a tenth of it, as each case writes a tree)
 * and optionally FUZZ_SEED to replay a failure fast-check printed.
 */
const envRuns = Number(process.env.FUZZ_RUNS ?? '');
export const LONG_RUN = Number.isFinite(envRuns) && envRuns > 0;

export function runs(defaultRuns: number, share = 1): number {
  return LONG_RUN ? Math.max(1, Math.ceil(envRuns * share)) : defaultRuns;
}

/** Per-test timeout: vitest's default in `npm test`, hours in a long run. */
export const TIMEOUT = LONG_RUN ? 6 * 3600_000 : 60_000;

/**
 * `npm test` uses a fixed seed, so that a run fails or passes the same way on every machine; a long
 * run draws a new seed each time (fast-check prints it with any failure) unless FUZZ_SEED is given.
 */
export const DEFAULT_SEED = 20261123;

export function fcParams(numRuns: number): fc.Parameters<unknown> {
  const given = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  const seed = given !== undefined && Number.isFinite(given) ? given : LONG_RUN ? undefined : DEFAULT_SEED;
  return { numRuns, ...(seed !== undefined ? { seed } : {}) };
}

export function seedOf(kind: FileKind): Seed {
  return SEEDS[kind] ?? { ...GENERIC_SEED, path: `${kind}/${kind}.conf` };
}

/** Any UTF-16 unit mix: full Unicode, lone surrogates, the characters the formats care about. */
const anyChar = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\n', '\r', ' ', '\t', ':', '=', '[', ']', '{', '}', ';', '<', '>', '&', '*', '#', '"', "'", '%', '$', '@', '-'),
);

export const randomText = fc.string({ unit: anyChar, maxLength: 300 });
export const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(''));

type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'dupLine'; line: number }
  | { op: 'dropLine'; line: number }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'indent'; line: number; by: string }
  | { op: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...TOKENS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: anyChar, maxLength: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dupLine' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dropLine' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.constantFrom(' ', '  ', '\t', '') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
);

export function mutate(text: string, m: Mutation): string {
  const pos = (n: number): number => n % (text.length + 1);
  const lines = text.split('\n');
  const ln = (n: number): number => n % lines.length;
  switch (m.op) {
    case 'insert':
      return text.slice(0, pos(m.at)) + m.text + text.slice(pos(m.at));
    case 'delete':
      return text.slice(0, pos(m.at)) + text.slice(pos(m.at) + m.len);
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'dupLine':
      lines.splice(ln(m.line), 0, lines[ln(m.line)]!);
      return lines.join('\n');
    case 'dropLine':
      lines.splice(ln(m.line), 1);
      return lines.join('\n');
    case 'swapLines': {
      const a = ln(m.a);
      const b = ln(m.b);
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'indent':
      lines[ln(m.line)] = m.by + lines[ln(m.line)]!.replace(/^[ \t]+/, '');
      return lines.join('\n');
  }
}

/** Line-break and BOM variants every reader must take as they come. */
export type Variant = 'as-is' | 'crlf' | 'cr' | 'bom' | 'bom+crlf' | 'no-final-eol' | 'mixed-eol' | 'trailing-space';
export const variant: fc.Arbitrary<Variant> = fc.constantFrom('as-is', 'crlf', 'cr', 'bom', 'bom+crlf', 'no-final-eol', 'mixed-eol', 'trailing-space');

export function applyVariant(text: string, v: Variant): string {
  switch (v) {
    case 'as-is':
      return text;
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'cr':
      return text.replace(/\r?\n/g, '\r');
    case 'bom':
      return `\uFEFF${text}`;
    case 'bom+crlf':
      return `\uFEFF${text.replace(/\r?\n/g, '\r\n')}`;
    case 'no-final-eol':
      return text.replace(/\r?\n$/, '');
    case 'mixed-eol':
      return text.split('\n').map((l, i) => (i % 2 ? `${l}\r` : l)).join('\n');
    case 'trailing-space':
      return text.replace(/\n/g, ' \t\n');
  }
}

/** A seed's text, mutated a little (structure mostly kept, so rules still fire), in some variant. */
export function mutatedSeed(seed: Seed, maxMutations = 4): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(mutation, { maxLength: maxMutations }), variant)
    .map(([ms, v]) => applyVariant(ms.reduce(mutate, seed.text), v));
}

/** Everything a reader may be handed as text. */
export function textFor(kind: FileKind): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: randomText },
    { weight: 1, arbitrary: tokenSoup },
    { weight: 5, arbitrary: mutatedSeed(seedOf(kind)) },
  );
}

/** Bytes that are not UTF-8 or not text, for the file-level properties. */
export const badBytes = fc.constantFrom(
  [0xff],
  [0xc3],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0xc0, 0xaf], // overlong '/'
  [0x00],
  [0xef, 0xbb, 0xbf], // a BOM in the middle: valid, kept as U+FEFF
);

/** A file's bytes: usually its text as UTF-8, sometimes with bad bytes spliced in. */
export function fileBytes(text: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 6, arbitrary: text.map((t) => Buffer.from(t, 'utf8')) },
    {
      weight: 1,
      arbitrary: fc.tuple(text, badBytes, fc.nat()).map(([t, bad, at]) => {
        const b = Buffer.from(t, 'utf8');
        const i = at % (b.length + 1);
        return Buffer.concat([b.subarray(0, i), Buffer.from(bad), b.subarray(i)]);
      }),
    },
  );
}
