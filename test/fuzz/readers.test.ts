import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Document, FileKind, SourceFile } from '../../src/core/document.js';
import { memoryHost } from '../../src/core/host.js';
import { PARSERS } from '../../src/formats/parsers.js';
import { fcParams, mutatedSeed, randomText, runs, seedOf, TIMEOUT, tokenSoup } from './arbitraries.js';
import { SEEDS } from './seeds.js';

/**
 * Every reader in the PARSERS registry, now and later: for any text it never throws (problems are
 * `errors`), its document holds the input byte for byte, and what it reports points into the text.
 */
const KINDS = Object.keys(PARSERS) as FileKind[];

/** The seeds laid out as a deployment under /d, so that includes between them resolve. */
function hostWith(path: string, text: string): ReturnType<typeof memoryHost> {
  const files: Record<string, string> = {};
  for (const s of Object.values(SEEDS)) files[`/d/${s.path}`] = s.text;
  files[`/d/${path}`] = text;
  return memoryHost(files, '/d');
}

/** What is wrong with a reader's answer, or undefined. Throws only what the reader threw. */
export function readerProblem(kind: FileKind, file: SourceFile, doc: Document): string | undefined {
  if (doc.kind !== kind) return `document kind is ${doc.kind}, not ${kind}`;
  if (doc.file.text !== file.text) return 'document text differs from the input';
  if (doc.file.path !== file.path) return `document path is ${doc.file.path}, not ${file.path}`;
  if (doc.lines.text !== file.text) return 'line index is not over the input text';
  for (const e of doc.errors) {
    if (typeof e.message !== 'string' || e.message === '') return `an error without a message: ${JSON.stringify(e)}`;
    if (e.file !== undefined && e.file !== file.path) continue; // in an included file
    const { start, end } = e.range;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= file.text.length)) {
      return `error range [${start}, ${end}) outside the text (length ${file.text.length}): ${e.message}`;
    }
  }
  return undefined;
}

function check(kind: FileKind, text: string): void {
  const path = seedOf(kind).path;
  const file: SourceFile = { path, text, bom: text.charCodeAt(0) === 0xfeff };
  let doc: Document;
  try {
    doc = PARSERS[kind](file, hostWith(path, text));
  } catch (e) {
    throw new Error(`reader ${kind} threw on ${JSON.stringify(text)}: ${(e as Error).stack ?? e}`);
  }
  const problem = readerProblem(kind, file, doc);
  if (problem) throw new Error(`reader ${kind}: ${problem}\ninput: ${JSON.stringify(text)}`);
}

describe('readers never throw and keep their input byte for byte', () => {
  it('has a seed for every registered kind (else only random text reaches it)', () => {
    const missing = KINDS.filter((k) => !SEEDS[k]);
    if (missing.length) console.warn(`[fuzz] no seed in test/fuzz/seeds.ts for: ${missing.join(', ')}`);
    expect(KINDS.length).toBeGreaterThan(0);
  });

  for (const kind of KINDS) {
    describe(kind, () => {
      it('mutated seed files (line breaks, BOM, tokens of every format)', () => {
        fc.assert(fc.property(mutatedSeed(seedOf(kind), 6), (t) => check(kind, t)), fcParams(runs(120)));
      }, TIMEOUT);

      it('random text, lone surrogates included', () => {
        fc.assert(fc.property(randomText, (t) => check(kind, t)), fcParams(runs(40)));
      }, TIMEOUT);

      it('soups of syntax tokens', () => {
        fc.assert(fc.property(tokenSoup, (t) => check(kind, t)), fcParams(runs(40)));
      }, TIMEOUT);

      it('the seed itself and its edge variants', () => {
        const seed = seedOf(kind).text;
        for (const t of ['', '\uFEFF', '\n', '\r\n', '\r', seed, `\uFEFF${seed}`, seed.replace(/\n/g, '\r\n'), seed.replace(/\n/g, '\r'), seed.slice(0, -1), '\uD800', `${seed}\uDC00`]) {
          check(kind, t);
        }
      });
    });
  }
});
