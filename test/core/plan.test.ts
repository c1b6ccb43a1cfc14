import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../src/core/document.js';
import type { Finding, Fix } from '../../src/core/finding.js';
import { buildPlan, unifiedDiff } from '../../src/core/plan.js';

const file = (path: string, text: string): SourceFile => ({ path, text, bom: false });
const finding = (ruleId: string, fix?: Fix): Finding => ({
  ruleId,
  severity: 'warning',
  file: 'a.yml',
  range: { start: 0, end: 0 },
  location: { line: 1, column: 1, endLine: 1, endColumn: 1 },
  message: 'm',
  ...(fix ? { fix } : {}),
});

describe('buildPlan', () => {
  const files = new Map([['a.yml', file('a.yml', 'one\ntwo\nthree\n')]]);

  it('applies non-overlapping fixes and records the rules behind each file', () => {
    const plan = buildPlan(
      [
        finding('r/one', { description: '', changes: [{ kind: 'edit', file: 'a.yml', edits: [{ start: 0, end: 3, text: 'ONE' }] }] }),
        finding('r/two', { description: '', changes: [{ kind: 'edit', file: 'a.yml', edits: [{ start: 8, end: 13, text: 'THREE' }] }] }),
        finding('r/new', { description: '', changes: [{ kind: 'create', file: 'b.yml', text: 'x: 1\n' }] }),
      ],
      files,
    );
    expect(plan.conflicts).toEqual([]);
    expect(plan.files.map((f) => [f.file, f.status, f.after, f.ruleIds])).toEqual([
      ['a.yml', 'modified', 'ONE\ntwo\nTHREE\n', ['r/one', 'r/two']],
      ['b.yml', 'created', 'x: 1\n', ['r/new']],
    ]);
  });

  it('skips a whole fix that overlaps an earlier one, across all its files', () => {
    const plan = buildPlan(
      [
        finding('r/first', { description: '', changes: [{ kind: 'edit', file: 'a.yml', edits: [{ start: 4, end: 7, text: 'TWO' }] }] }),
        finding('r/second', {
          description: '',
          changes: [
            { kind: 'create', file: 'c.yml', text: 'c\n' },
            { kind: 'edit', file: 'a.yml', edits: [{ start: 5, end: 6, text: 'W' }] },
          ],
        }),
      ],
      files,
    );
    expect(plan.conflicts).toEqual([{ ruleId: 'r/second', file: 'a.yml', reason: 'another fix edits the same text' }]);
    expect(plan.files.map((f) => f.file)).toEqual(['a.yml']);
    expect(plan.files[0]!.after).toBe('one\nTWO\nthree\n');
  });

  it('refuses to create a file that exists and to edit one that does not', () => {
    const plan = buildPlan(
      [
        finding('r/c', { description: '', changes: [{ kind: 'create', file: 'a.yml', text: '' }] }),
        finding('r/e', { description: '', changes: [{ kind: 'edit', file: 'nope.yml', edits: [] }] }),
      ],
      files,
    );
    expect(plan.conflicts.map((c) => c.reason)).toEqual(['the file already exists', 'the file does not exist']);
    expect(plan.files).toEqual([]);
  });

  it('renders a git-style unified diff', () => {
    const plan = buildPlan(
      [finding('r/one', { description: '', changes: [{ kind: 'edit', file: 'a.yml', edits: [{ start: 4, end: 7, text: 'TWO' }] }] })],
      files,
    );
    expect(unifiedDiff(plan.files[0]!)).toBe(
      '--- a/a.yml\n+++ b/a.yml\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n',
    );
  });
});

describe('buildPlan and files no reader took', () => {
  it('refuses a fix that would create a file already on disk', () => {
    const plan = buildPlan(
      [finding('r/c', { description: '', changes: [{ kind: 'create', file: 'config/job_conf.yml', text: 'x\n' }] })],
      new Map(),
      (p) => p === 'config/job_conf.yml',
    );
    expect(plan.files).toEqual([]);
    expect(plan.conflicts).toEqual([{ ruleId: 'r/c', file: 'config/job_conf.yml', reason: 'the file already exists' }]);
  });
});
