import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_TARGET } from '../../../src/core/target.js';
import { nodeHost } from '../../../src/io/host.js';
import { analyse } from '../../../src/pipeline.js';
import { runCli } from '../../helpers/cli.js';
import { HAVE_SHARED, PROJECT_ROOT, SHARED_DIR, warnNoShared } from '../../helpers/shared.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'uwsgi-acceptance');
const SCALING = join(FIXTURES, 'scaling-mules');
const SECRETS = ['Xq7-secret-db-pass', 'c4b1f0e8d9a7462e9f3b5d1a0e7c2b84'];

interface JsonPlan {
  findings: { ruleId: string; severity: string; file: string; line: number; message: string }[];
  changes: { file: string; status: string; diff: string; after: string }[];
}

describe('acceptance: the uWSGI + mules example of Galaxy\'s scaling documentation', () => {
  it('plan --format json gives a gravity: section, and leaves every other line alone', async () => {
    const r = await runCli(['plan', '--format', 'json', 'galaxy.yml'], SCALING);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const s of SECRETS) expect(r.stdout).not.toContain(s);

    const out = JSON.parse(r.stdout) as JsonPlan;
    const change = out.changes.find((c) => c.file === 'galaxy.yml');
    expect(change?.status).toBe('modified');
    const after = parseYaml(change!.after) as Record<string, any>;
    expect(after).not.toHaveProperty('uwsgi');
    const g = after.gravity;
    expect(g.gunicorn.bind).toBe('unix:/srv/galaxy/var/gunicorn.sock'); // the old socket's directory
    expect(g.gunicorn.extra_args).toContain('--forwarded-allow-ips="*"');
    expect(g.gunicorn.workers).toBe(4);
    expect(g.virtualenv).toBe('/srv/galaxy/venv');
    const jobHandlers = Object.values(g.handlers as Record<string, { processes: number; pools: string[] }>).filter((h) => h.pools.includes('job-handlers'));
    expect(jobHandlers.reduce((n, h) => n + h.processes, 0)).toBe(3);
    expect(after.galaxy.brand).toBe('Scaling');

    // Findings point at the option lines (rule id + line).
    const at = (ruleId: string) => out.findings.filter((f) => f.ruleId === ruleId && f.file === 'galaxy.yml').map((f) => f.line);
    expect(at('uwsgi/section-to-gravity')).toEqual([4]);
    expect(at('uwsgi/listeners')).toEqual([24]);
    expect(at('uwsgi/handlers')).toEqual([27, 28, 29, 30]);
    expect(at('uwsgi/process-model')).toEqual([12, 13, 14, 15, 16, 19, 20, 21]);
    expect(at('uwsgi/app-loading')).toEqual([7, 8, 9]);
    for (const f of out.findings) expect(f.message).not.toMatch(/postgresql:\/\//);
  });

  it('keeps every byte outside the old uwsgi: block, comments included', () => {
    const before = readFileSync(join(SCALING, 'galaxy.yml'), 'utf8');
    const { result } = analyse(['galaxy.yml'], nodeHost(SCALING, {}), DEFAULT_TARGET);
    const plan = result.plan.files.find((p) => p.file === 'galaxy.yml');
    expect(plan).toBeDefined();
    const old = before.split('\n');
    const start = old.indexOf('uwsgi:');
    let end = old.indexOf('galaxy:') - 1; // last line of the block: the last indented one before galaxy:
    while (!/^\s+\S/.test(old[end]!)) end--;
    const head = old.slice(0, start);
    const tail = old.slice(end + 1);
    const now = plan!.after.split('\n');
    expect(now.slice(0, head.length)).toEqual(head);
    expect(now.slice(now.length - tail.length)).toEqual(tail);
    expect(now[head.length]).toBe('gravity:');
    // the gravity: block uses the file's four-space indentation
    expect(now[head.length + 1]).toMatch(/^ {4}\S/);
    expect(plan!.after).toContain('# The database, password included: it must never be printed.');
    expect(plan!.after).toContain('brand: Scaling   # a trailing comment');
  });
});

describe('lint', () => {
  it('exits 1 on a uWSGI-era galaxy.yml, with a finding on each quoted or misread value line', async () => {
    const r = await runCli(['lint', '--format', 'json', 'galaxy.yml'], join(FIXTURES, 'uwsgi-era'));
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.stdout) as JsonPlan).findings;
    const readerIssue = (line: number) => found.some((f) => f.line === line && /^uwsgi\/(quoted-value|boolean-reads-opposite|inline-comment-cuts-value)$/.test(f.ruleId));
    // http: "…" (2), master: "false" (4), umask: '027' (5), static-map: …#cached (6)
    for (const line of [2, 4, 5, 6]) expect(readerIssue(line), `line ${line}`).toBe(true);
    expect(found.some((f) => f.ruleId === 'uwsgi/section-to-gravity' && f.line === 1)).toBe(true);
  });

  it('exits 0 on a post-22.05 galaxy.yml', async () => {
    const r = await runCli(['lint', 'galaxy.yml'], join(FIXTURES, 'post-2205'));
    expect(r.stdout).toContain('0 error(s), 0 warning(s)');
    expect(r.code).toBe(0);
  });

  it('exits 2 on a missing file', async () => {
    const r = await runCli(['lint', 'no-such-galaxy.yml'], FIXTURES);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-galaxy\.yml: no such file or directory/);
  });

  const samples = join(SHARED_DIR, 'corpus', 'galaxyproject__galaxy');
  const era2205 = HAVE_SHARED
    ? readdirSync(samples)
        .map((c) => join(samples, c, 'lib', 'galaxy', 'config', 'sample', 'galaxy.yml.sample'))
        .filter((p) => existsSync(p) && /^gravity:/m.test(readFileSync(p, 'utf8')) && !/^uwsgi:/m.test(readFileSync(p, 'utf8')))
    : [];
  warnNoShared('lint of the Galaxy 22.05 galaxy.yml.sample');
  it.skipIf(!HAVE_SHARED)('exits 0 on Galaxy\'s own 22.05 galaxy.yml.sample (../shared corpus)', async () => {
    expect(era2205.length).toBeGreaterThan(0);
    for (const p of era2205) {
      const r = await runCli(['lint', p], PROJECT_ROOT);
      expect(r.code, `${p}\n${r.stdout}${r.stderr}`).toBe(0);
    }
  });
});

describe('Galaxy\'s 22.01 galaxy.yml.sample (gravity: and uwsgi: side by side, ../shared corpus)', () => {
  const samples = join(SHARED_DIR, 'corpus', 'galaxyproject__galaxy');
  const both = HAVE_SHARED
    ? readdirSync(samples)
        .map((c) => join(samples, c, 'lib', 'galaxy', 'config', 'sample', 'galaxy.yml.sample'))
        .filter((p) => existsSync(p) && /^gravity:/m.test(readFileSync(p, 'utf8')) && /^uwsgi:/m.test(readFileSync(p, 'utf8')))
    : [];
  warnNoShared('merging into the gravity: section of the Galaxy 22.01 sample');
  it.skipIf(!HAVE_SHARED)('merges the uwsgi: settings into the existing gravity: section, nothing else changes', () => {
    expect(both.length).toBeGreaterThan(0);
    for (const p of both) {
      const before = readFileSync(p, 'utf8');
      const { result } = analyse([p], nodeHost(PROJECT_ROOT, {}), DEFAULT_TARGET);
      const plan = result.plan.files.find((f) => f.ruleIds.includes('uwsgi/section-to-gravity'));
      expect(plan, p).toBeDefined();
      const after = parseYaml(plan!.after) as Record<string, any>;
      expect(after).not.toHaveProperty('uwsgi');
      expect(after.gravity.gunicorn.bind).toBe('127.0.0.1:8080');
      expect(after.gravity.celery).toEqual({ enable: true, enable_beat: true });
      // every line of the old file outside the uwsgi: block is still there, in order
      const old = before.split('\n');
      const start = old.indexOf('uwsgi:');
      const end = old.findIndex((l, i) => i > start && /^\S/.test(l) && !l.startsWith('#'));
      const kept = [...old.slice(0, start), ...old.slice(end)];
      const now = plan!.after.split('\n');
      let i = 0;
      for (const line of now) if (i < kept.length && line === kept[i]) i++;
      expect(i, 'lines outside the uwsgi: block, in order').toBe(kept.length);
    }
  });
});
