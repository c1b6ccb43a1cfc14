import { applyPatch, createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anchoredDiff, EXACT_EDITS, twoFilesPatch } from '../../src/core/line-diff.js';
import { fcParams, runs, TIMEOUT } from './arbitraries.js';

/** Texts from a small alphabet of lines, so that they share (and repeat) many lines. */
const line = fc.oneof(fc.constantFrom('a', 'b', 'c', '}', '', '  x = 1', 'uwsgi:', '\r'), fc.string({ maxLength: 4 }));
const text = fc.tuple(fc.array(line, { maxLength: 60 }), fc.boolean()).map(([ls, eol]) => ls.join('\n') + (eol && ls.length ? '\n' : ''));

describe('unified diffs stay linear and exact', () => {
  it('applying the diff to before gives after (random texts, both paths)', () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const patch = twoFilesPatch('a/f', 'b/f', before, after);
        expect(applyPatch(before, patch)).toBe(after);
      }),
      fcParams(runs(300)),
    );
  }, TIMEOUT);

  it('the anchored path alone also round-trips', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 1, max: 4 }), (before, after, context) => {
        expect(applyPatch(before, twoFilesPatch('a/f', 'b/f', before, after, context, 0))).toBe(after);
        const split = (t: string): string[] => (t === '' ? [] : t.split(/(?<=\n)/));
        const ops = anchoredDiff(split(before), split(after));
        expect(ops.filter((o) => o.kind !== 'added').flatMap((o) => o.lines).join('')).toBe(before);
        expect(ops.filter((o) => o.kind !== 'removed').flatMap((o) => o.lines).join('')).toBe(after);
      }),
      fcParams(runs(300)),
    );
  }, TIMEOUT);

  it("is jsdiff's own output when few lines change", () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const mine = twoFilesPatch('a/f', 'b/f', before, after);
        const theirs = createTwoFilesPatch('a/f', 'b/f', before, after, undefined, undefined, { context: 3 });
        if (createTwoFilesPatch('a/f', 'b/f', before, after, undefined, undefined, { context: 3, maxEditLength: EXACT_EDITS }) !== undefined) expect(mine).toBe(theirs);
      }),
      fcParams(runs(200)),
    );
  }, TIMEOUT);

  it('a fix rewriting every other line of a 20,000-line file is diffed (and applies)', () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `<tool id="t${i}" handler="main.job-handlers.${i % 3}"/>`).join('\n') + '\n';
    const after = before.replace(/handler="main\.job-handlers\.(\d)"/g, (m, d: string, off: number) => (off % 2 ? `handler="pool${d}"` : m));
    const patch = twoFilesPatch('a/job_conf.xml', 'b/job_conf.xml', before, after);
    expect(applyPatch(before, patch)).toBe(after);
  });
});
