import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EditIndex } from '../../src/core/edit-index.js';
import { editsOverlap } from '../../src/core/edits.js';
import type { Edit } from '../../src/core/finding.js';
import { buildPlan } from '../../src/core/plan.js';

const edit = fc.tuple(fc.nat(40), fc.nat(6), fc.constantFrom('', 'x')).map(([start, len, text]): Edit => ({ start, end: start + len, text }));
const batch = fc.array(edit, { minLength: 1, maxLength: 3 });

describe('EditIndex', () => {
  it('answers exactly as editsOverlap over every edit added, tidy or not', () => {
    fc.assert(
      fc.property(fc.array(batch, { maxLength: 25 }), fc.array(batch, { minLength: 1, maxLength: 10 }), fc.boolean(), (adds, queries, onlyClean) => {
        const index = new EditIndex();
        const all: Edit[] = [];
        for (const b of adds) {
          // As a plan takes them (only what does not overlap), or anything (a fix overlapping itself).
          if (onlyClean && editsOverlap(all, b)) continue;
          index.add(b);
          all.push(...b);
        }
        for (const q of queries) expect(index.overlaps(q)).toBe(editsOverlap(all, q));
      }),
      { numRuns: 2000 },
    );
  });

  it('insertions at the same point overlap; one ending where another starts does not', () => {
    const index = new EditIndex();
    index.add([{ start: 5, end: 9, text: 'a' }]);
    expect(index.overlaps([{ start: 5, end: 5, text: 'b' }])).toBe(true);
    expect(index.overlaps([{ start: 9, end: 9, text: 'b' }])).toBe(false);
    expect(index.overlaps([{ start: 2, end: 5, text: 'b' }])).toBe(false);
    expect(index.overlaps([{ start: 8, end: 12, text: 'b' }])).toBe(true);
  });
});

describe('buildPlan with thousands of fixes in one file', () => {
  it('takes every fix that does not overlap, refuses the one that does, and stays fast', () => {
    const n = 20_000;
    const lines = Array.from({ length: n }, (_, i) => `tool_${i}: handler_a\n`);
    const text = lines.join('');
    const starts: number[] = [];
    lines.reduce((offset, line) => (starts.push(offset), offset + line.length), 0);
    const at = (i: number): number => starts[i]!;
    const fix = (i: number, start: number, end: number) => ({
      ruleId: 'test/rule',
      severity: 'warning' as const,
      file: 'job_conf.yml',
      range: { start, end },
      location: { line: i + 1, column: 1, endLine: i + 1, endColumn: 1 },
      message: `tool ${i}`,
      fix: { description: 'rename', changes: [{ kind: 'edit' as const, file: 'job_conf.yml', edits: [{ start, end, text: 'handler_b' }] }] },
    });
    const findings = Array.from({ length: n }, (_, i) => {
      const s = at(i) + `tool_${i}: `.length;
      return fix(i, s, s + 'handler_a'.length);
    });
    // One more over the text of tool 7's handler: it must be refused.
    findings.push(fix(7, at(7) + 3, at(7) + 12));
    const t0 = performance.now();
    const plan = buildPlan(findings, new Map([['job_conf.yml', { path: 'job_conf.yml', text, bom: false }]]));
    const ms = performance.now() - t0;
    expect(plan.conflicts).toEqual([{ ruleId: 'test/rule', file: 'job_conf.yml', reason: 'another fix edits the same text' }]);
    expect(plan.files[0]!.after).toBe(text.replaceAll('handler_a', 'handler_b'));
    // Scanned pairwise, 20,000 fixes were 200 million comparisons (1.4 s here); the index takes 80 ms.
    expect(ms).toBeLessThan(700);
  });
});
