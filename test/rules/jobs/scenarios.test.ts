import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { FIXTURES, planJson, unresolved, type JsonPlan } from './support.js';

/**
 * The issue's "Done when", end to end through `migrate plan --format json DIR`, on deployments
 * written for these tests (test/fixtures/jobs/*): the migrated job conf is byte-exact as expected,
 * every handler id / default / tool mapping resolves to what the job conf or the new gravity:
 * section provides, the assignment method is an explicit DB one, no uWSGI id is left, and the
 * cutover SQL is in the report whenever handler names change.
 */

const rel = (s: string, f: string): string => `test/fixtures/jobs/${s}/config/${f}`;
const read = (s: string, dir: 'config' | 'expected', f: string): string => readFileSync(join(FIXTURES, s, dir, f), 'utf8');

function changed(plan: JsonPlan, file: string): string | undefined {
  return plan.changes.find((c) => c.file === file)?.after;
}

function jobFindings(plan: JsonPlan): string[] {
  return plan.findings.filter((f) => f.ruleId.startsWith('jobs/')).map((f) => `${f.ruleId}@${f.file.split('/').pop()}:${f.line}`).sort();
}

function cutoverNotes(plan: JsonPlan): string[] {
  return plan.findings.find((f) => f.ruleId === 'jobs/cutover')?.notes ?? [];
}

/** Lines a fix removed from the job conf: each must be one that names a handler, a tool mapping or the method. */
function removedLines(before: string, after: string): string[] {
  return diffLines(before, after)
    .filter((p) => p.removed)
    .flatMap((p) => p.value.split('\n').filter((l) => l.trim() !== ''));
}

interface Scenario {
  name: string;
  conf: string;
  findings: string[];
  /** Old → new names the cutover notes must list (empty: no cutover finding). */
  renames: string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'mules-pinned',
    conf: 'job_conf.xml',
    findings: [
      'jobs/cutover@job_conf.xml:9',
      'jobs/legacy-handler-ids@job_conf.xml:10',
      'jobs/legacy-handler-ids@job_conf.xml:11',
      'jobs/legacy-handler-ids@job_conf.xml:19',
      'jobs/legacy-handler-ids@job_conf.xml:9',
      'jobs/stale-default@job_conf.xml:8',
      'jobs/uwsgi-mule-message@job_conf.xml:8',
    ],
    renames: ['main.job-handlers.1 → handler_0', 'main.job-handlers.2 → handler_1', 'main.job-handlers.3 → handler_2'],
  },
  {
    name: 'web-pinned',
    conf: 'job_conf.yml',
    findings: ['jobs/cutover@job_conf.yml:14', 'jobs/explicit-assignment@job_conf.yml:1', 'jobs/legacy-handler-ids@job_conf.yml:14'],
    renames: ['main.web.3 → web_3', 'main.web.% → web_3'],
  },
  {
    name: 'webless-tags',
    conf: 'job_conf.xml',
    findings: ['jobs/explicit-assignment@job_conf.xml:6'],
    renames: [],
  },
  {
    name: 'mules-yml',
    conf: 'job_conf.yml',
    findings: [
      'jobs/cutover@job_conf.yml:4',
      'jobs/explicit-assignment@job_conf.yml:2',
      'jobs/legacy-handler-ids@job_conf.yml:17',
      'jobs/legacy-handler-ids@job_conf.yml:4',
      'jobs/legacy-handler-ids@job_conf.yml:5',
      'jobs/track-jobs-in-database@galaxy.yml:14',
    ],
    renames: ['main.job-handlers.1 → handler_0', 'main.job-handlers.bigmem.1 → bigmem_0', 'main.job-handler.1 → handler_0'],
  },
];

describe('Done when: migrate plan --format json on whole deployments', () => {
  for (const s of SCENARIOS) {
    describe(s.name, () => {
      let plan: JsonPlan;
      const confPath = rel(s.name, s.conf);
      const galaxyPath = rel(s.name, 'galaxy.yml');
      const before = read(s.name, 'config', s.conf);

      it('plans without conflicts, with the expected findings (rule id and line)', async () => {
        plan = await planJson(join(FIXTURES, s.name, 'config'));
        expect(plan.conflicts ?? []).toEqual([]);
        expect(jobFindings(plan)).toEqual([...s.findings].sort());
      });

      it('rewrites the job conf byte for byte as expected (every other byte unchanged)', () => {
        const after = changed(plan, confPath);
        expect(after).toBe(read(s.name, 'expected', s.conf));
        for (const line of removedLines(before, after!)) expect(line).toMatch(/handler|assign|default|processes|main\./);
      });

      it('leaves every handler id, default and tool mapping resolving to a handler or pool that exists after the migration', () => {
        const conf = changed(plan, confPath)!;
        const galaxy = changed(plan, galaxyPath) ?? read(s.name, 'config', 'galaxy.yml');
        expect(unresolved(confPath, conf, galaxy)).toEqual([]);
      });

      it('is idempotent: planning the migrated files again proposes no job-handler change', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'gm-jobs-'));
        try {
          mkdirSync(join(dir, 'config'));
          for (const f of readdirSync(join(FIXTURES, s.name, 'config'))) {
            const file = rel(s.name, f);
            writeFileSync(join(dir, 'config', basename(f)), changed(plan, file) ?? read(s.name, 'config', f));
          }
          const again = await planJson(join(dir, 'config'));
          expect(again.findings.filter((f) => f.ruleId.startsWith('jobs/') && f.fixable)).toEqual([]);
          expect(again.changes.filter((c) => c.ruleIds.some((r) => r.startsWith('jobs/')))).toEqual([]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it(s.renames.length ? 'gives the cutover SQL and the order of steps' : 'needs no cutover (no handler name changes)', () => {
        const notes = cutoverNotes(plan);
        if (!s.renames.length) {
          expect(notes).toEqual([]);
          return;
        }
        const text = notes.join('\n');
        for (const r of s.renames) expect(text).toContain(r);
        expect(text).toMatch(/SELECT id, tool_id, state, handler FROM job WHERE .* AND state NOT IN \('ok', 'error', 'deleted'\)/);
        expect(text).toMatch(/UPDATE job SET handler = '[^']+' WHERE handler (=|LIKE) '[^']+' AND state NOT IN \('ok', 'error', 'deleted'\);/);
        expect(text).toMatch(/UPDATE workflow_invocation SET handler/);
        const order = ['1. Drain', '2. Stop uWSGI', '3. Reassign', '4. Start Gravity'].map((k) => text.indexOf(k));
        expect(order.every((i) => i >= 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
      });
    });
  }

  it('webless handlers keep working unchanged: ids, tags, default and mappings as they were', async () => {
    const p = await planJson(join(FIXTURES, 'webless-tags', 'config'));
    const after = changed(p, rel('webless-tags', 'job_conf.xml'))!;
    const before = read('webless-tags', 'config', 'job_conf.xml');
    // The only change is the explicit method on <handlers>.
    expect(after).toBe(before.replace('<handlers default="general">', '<handlers default="general" assign_with="db-skip-locked">'));
  });

  it('a deployment with mules and no job conf gets one created beside galaxy.yml', async () => {
    const p = await planJson(join(FIXTURES, 'mules-no-conf', 'config'));
    const created = p.changes.find((c) => c.status === 'created');
    expect(created?.file).toBe(rel('mules-no-conf', 'job_conf.yml'));
    expect(created?.after).toBe(read('mules-no-conf', 'expected', 'job_conf.yml'));
    const galaxy = changed(p, rel('mules-no-conf', 'galaxy.yml'))!;
    expect(unresolved(created!.file, created!.after, galaxy)).toEqual([]);
    expect(jobFindings(p)).toEqual(['jobs/cutover@galaxy.yml:5', 'jobs/missing-job-conf@galaxy.yml:5']);
  });
});
