import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../src/core/host.js';
import { runRules } from '../../src/core/engine.js';
import type { ReadBack } from '../../src/core/read-back.js';
import { makeDocument, type Document } from '../../src/core/document.js';
import type { Rule } from '../../src/core/rule.js';
import { DEFAULT_TARGET } from '../../src/core/target.js';
import { parseAs } from '../../src/formats/parsers.js';
import { buildDeployment, EMPTY_DECISIONS } from '../../src/model/build.js';
import { readCreatedThrough } from '../../src/run/server.js';

const text = 'galaxy:\n  brand: old\n';
const deployment = buildDeployment([parseAs('galaxy-yml', { path: 'galaxy.yml', text, bom: false }, memoryHost({}))], [], () => EMPTY_DECISIONS);
const meta = (id: string): Rule['meta'] => ({ id, description: id, rationale: id, severity: 'warning', fixable: true, sources: [] });
const rename = (id: string, to: string): Rule => ({
  meta: meta(id),
  check: (ctx) =>
    ctx.report({
      file: 'galaxy.yml',
      range: { start: 17, end: 20 },
      message: `brand becomes ${to}`,
      fix: { description: to, changes: [{ kind: 'edit', file: 'galaxy.yml', edits: [{ start: 17, end: 20, text: to }] }] },
    }),
});

/** A rule whose fix puts `text` at the start of galaxy.yml. */
const prepending = (id: string, text: string): Rule => ({
  meta: meta(id),
  check: (ctx) =>
    ctx.report({ file: 'galaxy.yml', range: { start: 0, end: 0 }, message: `${JSON.stringify(text)} on top`, fix: { description: id, changes: [{ kind: 'edit', file: 'galaxy.yml', edits: [{ start: 0, end: 0, text }] }] } }),
});

describe('a rule that throws (a bug in galaxy-migrate)', () => {
  const broken: Rule = {
    meta: meta('test/broken'),
    check(ctx) {
      // Reports a fix, then fails: neither may reach the plan.
      ctx.report({ file: 'galaxy.yml', range: { start: 0, end: 6 }, message: 'half', fix: { description: 'x', changes: [{ kind: 'edit', file: 'galaxy.yml', edits: [{ start: 0, end: 6, text: 'gone' }] }] } });
      throw new Error('boom');
    },
  };

  it('loses its own findings and fixes, gives an internal-error naming it, and the other rules still run', () => {
    const r = runRules(deployment, [broken, rename('test/after', 'new')], { target: DEFAULT_TARGET });
    expect(r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.location.line}`)).toEqual(['internal-error error galaxy.yml:1', 'test/after warning galaxy.yml:2']);
    expect(r.findings[0]?.message).toBe(
      "galaxy-migrate's rule test/broken failed on this deployment (boom): its findings and fixes are left out, so the plan is incomplete. This is a bug; please report it",
    );
    expect(r.plan.files.map((f) => f.after)).toEqual(['galaxy:\n  brand: new\n']);
  });
});

describe('reading the plan back (core/read-back.ts)', () => {
  const readBack: ReadBack = (doc, after) => parseAs(doc.kind, { ...doc.file, text: after }, memoryHost({}));
  // `brand: new` is fine; `brand: [new` leaves galaxy.yml with an unclosed flow sequence.
  const breaking = rename('test/breaks', '[new');
  const comment = prepending('test/comment', '# top\n');

  it('takes out the fix that would leave the file unreadable, keeps its finding with why, and keeps the others', () => {
    const r = runRules(deployment, [comment, breaking], { target: DEFAULT_TARGET, readBack });
    expect(r.plan.files.map((f) => f.after)).toEqual(['# top\ngalaxy:\n  brand: old\n']);
    expect(r.plan.conflicts).toHaveLength(1);
    expect(r.plan.conflicts[0]).toMatchObject({ ruleId: 'test/breaks', file: 'galaxy.yml' });
    expect(r.plan.conflicts[0]?.reason).toBe(
      'this change would leave the file unreadable (line 4: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]), so it is left out',
    );
    const kept = r.findings.find((f) => f.ruleId === 'test/breaks');
    expect(kept?.fix).toBeUndefined();
    expect(kept?.notes?.[0]).toBe(`not applied: ${r.plan.conflicts[0]?.reason}`);
  });

  it('without a reader to read it back with (lint), the plan is what the fixes make', () => {
    const r = runRules(deployment, [breaking], { target: DEFAULT_TARGET });
    expect(r.plan.files.map((f) => f.after)).toEqual(['galaxy:\n  brand: [new\n']);
  });

  it('does not take a problem the file had for a new one because a fix moved its line', () => {
    // The reader reports one problem naming its line; the fix adds a line above it.
    const withProblem = (text: string): Document =>
      makeDocument({ path: 'galaxy.yml', text, bom: false }, 'galaxy-yml', undefined, [
        { message: `odd value at line ${text.split('\n').findIndex((l) => l.includes('old')) + 1}`, range: { start: 0, end: 0 }, severity: 'warning' },
      ]);
    const d = buildDeployment([withProblem(text)], [], () => EMPTY_DECISIONS);
    const r = runRules(d, [comment], { target: DEFAULT_TARGET, readBack: (_doc, after) => withProblem(after) });
    expect(r.plan.conflicts).toEqual([]);
    expect(r.plan.files.map((f) => f.after)).toEqual(['# top\ngalaxy:\n  brand: old\n']);
  });

  it('keeps a later fix the file can take when an earlier one breaks it', () => {
    const r = runRules(deployment, [breaking, comment], { target: DEFAULT_TARGET, readBack });
    expect(r.plan.files.map((f) => f.after)).toEqual(['# top\ngalaxy:\n  brand: old\n']);
    expect(r.plan.conflicts.map((c) => c.ruleId)).toEqual(['test/breaks']);
  });

  it('reads a file the plan creates as the next plan would, and takes out the whole fix that creates it broken', () => {
    const readCreated = readCreatedThrough(memoryHost({}));
    // One fix creates job_conf.yml and edits galaxy.yml: all or nothing, so both go when the new file does not read.
    const creating = (id: string, created: string): Rule => ({
      meta: meta(id),
      check: (ctx) =>
        ctx.report({
          file: 'galaxy.yml',
          range: { start: 0, end: 0 },
          message: id,
          fix: {
            description: id,
            changes: [
              { kind: 'create', file: 'job_conf.yml', text: created },
              { kind: 'edit', file: 'galaxy.yml', edits: [{ start: 17, end: 20, text: 'new' }] },
            ],
          },
        }),
    });
    const broken = runRules(deployment, [creating('test/creates', 'runners:\n  local: {load: x}\nhandling:\n  assign: [db-skip-locked\n'), comment], { target: DEFAULT_TARGET, readBack, readCreated });
    expect(broken.plan.files.map((f) => `${f.status} ${f.file}`)).toEqual(['modified galaxy.yml']);
    expect(broken.plan.files[0]?.after).toBe('# top\ngalaxy:\n  brand: old\n');
    expect(broken.plan.conflicts).toEqual([
      {
        ruleId: 'test/creates',
        file: 'job_conf.yml',
        reason: 'this change would leave the file unreadable (line 5: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]), so it is left out',
      },
    ]);
    const fine = runRules(deployment, [creating('test/creates', 'runners:\n  local: {load: x}\nhandling:\n  assign: [db-skip-locked]\n')], { target: DEFAULT_TARGET, readBack, readCreated });
    expect(fine.plan.files.map((f) => `${f.status} ${f.file}`)).toEqual(['modified galaxy.yml', 'created job_conf.yml']);
    expect(fine.plan.conflicts).toEqual([]);
  });

  it('tries the fixes on a broken file one by one in fold order, keeping each the file can take', () => {
    // An unclosed quote on a line of its own breaks the file whatever else is fixed.
    const alsoBreaks = prepending('test/also', '"open\n');
    const r = runRules(deployment, [alsoBreaks, breaking], { target: DEFAULT_TARGET, readBack });
    expect(r.plan.files).toEqual([]);
    expect(r.plan.conflicts.map((c) => c.ruleId)).toEqual(['test/also', 'test/breaks']);
  });
});
