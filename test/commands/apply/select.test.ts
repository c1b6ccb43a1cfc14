import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../../src/core/document.js';
import type { FileChange, Finding } from '../../../src/core/finding.js';
import { buildPlan } from '../../../src/core/plan.js';
import { fixesInFoldOrder, fixFolder, planOf, previewFix } from '../../../src/core/select.js';

const files = new Map<string, SourceFile>([
  ['a.yml', { path: 'a.yml', text: 'one: 1\ntwo: 2\nthree: 3\n', bom: false }],
  ['b.conf', { path: 'b.conf', text: 'server { listen 80; }\n', bom: false }],
]);
const finding = (ruleId: string, changes: FileChange[]): Finding => ({
  ruleId,
  severity: 'warning',
  file: changes[0]!.file,
  range: { start: 0, end: 0 },
  location: { line: 1, column: 1, endLine: 1, endColumn: 1 },
  message: ruleId,
  fix: { description: ruleId, changes },
});

describe('choosing fixes one by one', () => {
  it('takes exactly the fixes the plan takes, and their plan is the plan', () => {
    const change = fc.oneof(
      fc.record({ kind: fc.constant('edit' as const), file: fc.constantFrom('a.yml', 'b.conf', 'new.yml'), edits: fc.array(fc.tuple(fc.nat(30), fc.nat(6), fc.string({ maxLength: 4 })).map(([s, l, t]) => ({ start: s, end: s + l, text: t })), { minLength: 1, maxLength: 2 }) }),
      fc.record({ kind: fc.constant('create' as const), file: fc.constantFrom('new.yml', 'a.yml'), text: fc.string({ maxLength: 30 }) }),
      fc.record({ kind: fc.constant('delete' as const), file: fc.constantFrom('b.conf', 'a.yml') }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(change, { minLength: 1, maxLength: 2 }), { maxLength: 8 }), (fixes) => {
        const findings = fixes.map((c, i) => finding(`r/${i % 3}`, c as FileChange[]));
        let expected;
        try {
          expected = buildPlan(findings, files);
        } catch {
          return; // edits past the end of a text: the engine's own error, not a choice to make
        }
        const folder = fixFolder(files);
        const taken = findings.filter((f) => folder.add(f));
        expect(taken.length).toBe(findings.length - expected.conflicts.length);
        expect(planOf(taken, files).files).toEqual(expected.files);
      }),
      { numRuns: 400 },
    );
  });

  it('folds in rule order, then as reported', () => {
    const f1 = finding('r/b', [{ kind: 'delete', file: 'b.conf' }]);
    const f2 = finding('r/a', [{ kind: 'edit', file: 'b.conf', edits: [{ start: 0, end: 6, text: 'x' }] }]);
    const f3 = finding('r/b', [{ kind: 'create', file: 'n.yml', text: 'n' }]);
    expect(fixesInFoldOrder([f1, f2, f3], ['r/a', 'r/b'])).toEqual([f2, f1, f3]);
  });

  it('previews one fix against the original text, or against the text an accepted fix created', () => {
    const create = finding('r/c', [{ kind: 'create', file: 'n.yml', text: 'hello\n' }]);
    const edit = finding('r/e', [{ kind: 'edit', file: 'n.yml', edits: [{ start: 0, end: 5, text: 'bye' }] }]);
    expect(previewFix(edit.fix!, files, [create])).toEqual([{ file: 'n.yml', status: 'modified', before: 'hello\n', after: 'bye\n', ruleIds: [] }]);
    expect(previewFix(create.fix!, files)).toEqual([{ file: 'n.yml', status: 'created', before: '', after: 'hello\n', ruleIds: [] }]);
    const folder = fixFolder(files);
    expect(folder.fits(edit)).toBe(false); // builds on a file not created yet
    folder.add(create);
    expect(folder.fits(edit)).toBe(true);
  });
});
