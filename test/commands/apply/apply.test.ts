import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptedPrompter } from '../../../src/io/prompts.js';
import { modeOf, readTree, SAMPLE, SAMPLE_AFTER, SECRETS, tempDir, textTree, writeTree } from '../../helpers/deployment.js';
import { runWith } from '../../helpers/run-with-rules.js';

const sample = (): string => writeTree(tempDir('gm-apply-'), SAMPLE);
const noSecrets = (s: string): void => {
  for (const x of SECRETS) expect(s).not.toContain(x);
};
const changes = async (dir: string): Promise<unknown[]> => JSON.parse((await runWith(['plan', '--format', 'json', '.'], dir)).stdout).changes;

describe('migrate apply --yes (in place)', () => {
  it('writes exactly the planned text, keeps CRLF, BOM and mode, backs up, and a second plan proposes nothing', async () => {
    const dir = sample();
    chmodSync(join(dir, 'config/galaxy.yml'), 0o640);
    const r = await runWith(['apply', '--yes', '.'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(textTree(dir)).toEqual(SAMPLE_AFTER);
    expect(readFileSync(join(dir, 'nginx/galaxy.conf')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(readFileSync(join(dir, 'config/galaxy.yml'), 'utf8')).toMatch(/^galaxy:\r\n  bind: 127\.0\.0\.1:8080\r\n  processes: 4\r\n/);
    expect(modeOf(join(dir, 'config/galaxy.yml'))).toBe(0o640);
    expect(r.stdout).toMatch(/applied: 4 file\(s\) changed; the originals are in \.galaxy-migrate-backup\/\S+ \(undo with `migrate rollback`\)/);
    noSecrets(r.stdout);

    const backups = readdirSync(join(dir, '.galaxy-migrate-backup')).filter((n) => n !== '.gitignore');
    expect(backups).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(dir, '.galaxy-migrate-backup', backups[0]!, 'manifest.json'), 'utf8'));
    expect(manifest.state).toBe('applied');
    expect(manifest.files.map((f: { path: string; status: string }) => `${f.status} ${f.path}`).sort()).toEqual([
      'created config/handlers.yml',
      'modified config/galaxy.yml',
      'modified config/job_conf.xml',
      'modified nginx/galaxy.conf',
    ]);
    expect(readFileSync(join(dir, '.galaxy-migrate-backup/.gitignore'), 'utf8')).toContain('*');
    expect(modeOf(join(dir, '.galaxy-migrate-backup', backups[0]!, 'manifest.json'))).toBe(0o600);

    expect(await changes(dir)).toEqual([]);
  });

  it('rollback restores every original byte (and mode), removes created files, and refuses a second time', async () => {
    const dir = sample();
    chmodSync(join(dir, 'nginx/galaxy.conf'), 0o604);
    const before = readTree(dir);
    expect((await runWith(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(readTree(dir)).not.toEqual(before);
    const r = await runWith(['rollback'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rolled back the apply of .*: 4 file\(s\) restored/);
    expect(readTree(dir)).toEqual(before);
    expect(modeOf(join(dir, 'nginx/galaxy.conf'))).toBe(0o604);
    const again = await runWith(['rollback'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('nothing to roll back');
    const list = await runWith(['rollback', '--list'], dir);
    expect(list.stdout).toMatch(/rolled-back\s+4 file\(s\)/);
  });

  it('rollback refuses, writing nothing, when a file changed after the apply; --force restores anyway', async () => {
    const dir = sample();
    const before = readTree(dir);
    await runWith(['apply', '--yes', '.'], dir);
    writeFileSync(join(dir, 'nginx/galaxy.conf'), 'server { listen 8080; }\n');
    const edited = readTree(dir);
    const r = await runWith(['rollback', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to roll back: 1 file(s) changed again after that apply');
    expect(r.stderr).toContain('nginx/galaxy.conf: changed since that apply');
    expect(readTree(dir)).toEqual(edited);
    expect((await runWith(['rollback', '--force', '.'], dir)).code).toBe(0);
    expect(readTree(dir)).toEqual(before);
  });

  it('does nothing, exit 0, when nothing needs to change', async () => {
    const dir = writeTree(tempDir(), { 'config/galaxy.yml': 'galaxy:\n  bind: 127.0.0.1:8080\n' });
    const r = await runWith(['apply', '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing to change');
    expect(existsSync(join(dir, '.galaxy-migrate-backup'))).toBe(false);
  });

  it('writes through a symbolic link: the file it points at changes, the link stays', async () => {
    const dir = sample();
    mkdirSync(join(dir, 'real'));
    renameSync(join(dir, 'nginx/galaxy.conf'), join(dir, 'real/site.conf'));
    symlinkSync('../real/site.conf', join(dir, 'nginx/galaxy.conf'));
    const r = await runWith(['apply', '--yes', 'nginx/galaxy.conf', 'config'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'nginx/galaxy.conf')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real/site.conf'), 'utf8')).toContain('proxy_pass http://');
  });
});

describe('migrate apply without a terminal', () => {
  it('refuses to ask, exit 2, and writes nothing', async () => {
    const dir = sample();
    const before = readTree(dir);
    const r = await runWith(['apply', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^migrate: apply asks about each change, and there is no terminal to ask on; .*`migrate apply --yes`/);
    expect(readTree(dir)).toEqual(before);
  });
});

describe('migrate apply, asking (scripted answers)', () => {
  it('applies exactly the accepted changes: y, a (all of a rule), n, q', async () => {
    const dir = sample();
    const prompter = scriptedPrompter(['apply', 'rule', 'skip', 'quit']);
    const r = await runWith(['apply', '.'], dir, { deps: { interactive: true, prompter } });
    expect(prompter.asked.map((q) => q.ruleId)).toEqual(['test/socket-to-bind', 'test/no-mules', 'test/uwsgi-pass', 'test/handlers-file']);
    expect(prompter.asked[0]).toMatchObject({ index: 1, total: 6 });
    // socket renamed, both mules gone (the second without asking), nginx skipped, quit before the rest
    expect(textTree(dir)).toEqual({
      ...SAMPLE,
      'config/galaxy.yml': SAMPLE_AFTER['config/galaxy.yml'],
    });
    expect(r.stdout).toContain('[1/6] test/socket-to-bind');
    expect(r.stdout).toContain('why: the uWSGI socket becomes the gunicorn bind');
    expect(r.stdout).toContain('-  socket: 127.0.0.1:8080\r');
    expect(r.stdout).toContain('+  bind: 127.0.0.1:8080\r');
    expect(r.stdout).toMatch(/\[3\/6\] test\/no-mules config\/galaxy\.yml:5: applied \(all of this rule\)/);
    expect(r.stdout).toContain('3 change(s) accepted, 3 left out');
    noSecrets(r.stdout);
    // the skipped uwsgi_pass is an error finding that remains
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 error(s) remain');
  });

  it('writes nothing on Ctrl-C', async () => {
    const dir = sample();
    const before = readTree(dir);
    const r = await runWith(['apply', '.'], dir, { deps: { interactive: true, prompter: scriptedPrompter(['apply', 'abort']) } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('interrupted; nothing was written');
    expect(readTree(dir)).toEqual(before);
  });
});

describe('migrate apply --out DIR', () => {
  it('writes the migrated deployment elsewhere, leaves the original alone, and plan DIR proposes nothing', async () => {
    const dir = sample();
    chmodSync(join(dir, 'README.txt'), 0o600);
    const before = readTree(dir);
    const out = join(tempDir('gm-out-'), 'migrated');
    const r = await runWith(['apply', '--yes', '--out', out, '.'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote the migrated deployment to .*migrated \(5 file\(s\), 4 changed\); the original is untouched/);
    expect(readTree(dir)).toEqual(before);
    expect(existsSync(join(dir, '.galaxy-migrate-backup'))).toBe(false);
    expect(textTree(out)).toEqual(SAMPLE_AFTER);
    expect(modeOf(join(out, 'README.txt'))).toBe(0o600);
    expect(await changes(out)).toEqual([]);
  });

  it('refuses a directory that is not empty', async () => {
    const dir = sample();
    const out = writeTree(tempDir('gm-out-'), { 'keep.txt': 'mine\n' });
    const r = await runWith(['apply', '--yes', '--out', out, '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the directory is not empty');
    expect(textTree(out)).toEqual({ 'keep.txt': 'mine\n' });
  });
});

describe('saved plans: migrate plan --out plan.json, migrate apply plan.json', () => {
  it('saves the real text privately, prints no secret, and applies exactly it without asking', async () => {
    const dir = sample();
    const planFile = join(tempDir('gm-plan-'), 'plan.json');
    const p = await runWith(['plan', '--out', planFile, '.'], dir);
    expect(p.code).toBe(0);
    noSecrets(p.stdout + p.stderr);
    expect(p.stderr).toContain('plan saved to');
    expect(modeOf(planFile)).toBe(0o600);
    const saved = JSON.parse(readFileSync(planFile, 'utf8'));
    expect(saved.kind).toBe('galaxy-migrate-plan');
    expect(saved.files.map((f: { path: string }) => f.path)).toEqual(['config/galaxy.yml', 'config/handlers.yml', 'config/job_conf.xml', 'nginx/galaxy.conf']);
    expect(saved.files[0].beforeSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.files[0].after).toContain(SECRETS[0]);

    const a = await runWith(['apply', planFile], dir);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    noSecrets(a.stdout);
    expect(textTree(dir)).toEqual(SAMPLE_AFTER);
  });

  it('refuses, with every stale file named, and writes nothing when a file changed since the plan', async () => {
    const dir = sample();
    const planFile = join(dir, 'plan.json');
    expect((await runWith(['plan', '--out', 'plan.json', '.'], dir)).code).toBe(0);
    writeFileSync(join(dir, 'nginx/galaxy.conf'), `${SAMPLE['nginx/galaxy.conf']}# edited\n`);
    writeFileSync(join(dir, 'config/handlers.yml'), 'gravity: {}\n');
    const edited = readTree(dir);
    const r = await runWith(['apply', 'plan.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to apply: 2 file(s) are not what plan.json was made from, so nothing was written');
    expect(r.stderr).toContain('nginx/galaxy.conf: changed since plan.json was made');
    expect(r.stderr).toContain('config/handlers.yml: exists now, but the plan creates it');
    expect(readTree(dir)).toEqual(edited);
    expect(existsSync(join(dir, '.galaxy-migrate-backup'))).toBe(false);
    expect(existsSync(planFile)).toBe(true);
  });

  it('applies a saved plan into --out, leaving the original alone', async () => {
    const dir = sample();
    const before = readTree(dir);
    const planFile = join(tempDir('gm-plan-'), 'p.json');
    await runWith(['plan', '--out', planFile, '.'], dir);
    const out = join(tempDir('gm-out-'), 'o');
    const r = await runWith(['apply', planFile, '--out', out], dir);
    expect(r.code).toBe(0);
    expect(readTree(dir)).toEqual(before);
    expect(textTree(out)).toEqual(SAMPLE_AFTER);
  });

  it('refuses --target with a saved plan and a damaged plan file', async () => {
    const dir = sample();
    await runWith(['plan', '--out', 'plan.json', '.'], dir);
    expect((await runWith(['apply', '--target', '22.05', 'plan.json'], dir)).stderr).toContain('a saved plan is applied as it was made');
    writeFileSync(join(dir, 'bad.json'), '{"kind": "galaxy-migrate-plan", "planVersion": 1}');
    const r = await runWith(['apply', 'bad.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.json: the plan is damaged');
  });
});

describe('all or nothing', () => {
  it('puts back every file already written when a later write fails', async () => {
    const dir = sample();
    const before = readTree(dir);
    const r = await runWith(['apply', '--yes', '.'], dir, { env: { GALAXY_MIGRATE_TEST_FAIL_AT: 'commit:2' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('injected failure at commit:2; every file already written was put back as it was, so nothing changed');
    expect(readTree(dir)).toEqual(before);
    expect(readdirSync(join(dir, 'config')).filter((n) => n.includes('galaxy-migrate'))).toEqual([]);
    // the failed apply is recorded as such and does not block the next one
    expect((await runWith(['apply', '--yes', '.'], dir)).code).toBe(0);
    expect(textTree(dir)).toEqual(SAMPLE_AFTER);
  });

  it('refuses to apply over an apply that never finished, and rollback finishes it', async () => {
    const dir = sample();
    const before = readTree(dir);
    await runWith(['apply', '--yes', '.'], dir);
    const base = join(dir, '.galaxy-migrate-backup');
    const name = readdirSync(base).find((n) => n !== '.gitignore')!;
    const mf = join(base, name, 'manifest.json');
    writeFileSync(mf, readFileSync(mf, 'utf8').replace('"state": "applied"', '"state": "applying"'));
    // as if the process died after the first file: the others are still old
    writeFileSync(join(dir, 'nginx/galaxy.conf'), SAMPLE['nginx/galaxy.conf']!);
    const r = await runWith(['apply', '--yes', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did not finish (the process was stopped)');
    expect(r.stderr).toContain('run `migrate rollback`');
    const rb = await runWith(['rollback'], dir);
    expect(rb.code).toBe(0);
    expect(rb.stdout).toContain('1 already as they were');
    expect(readTree(dir)).toEqual(before);
  });
});

describe('new folders', () => {
  it('are made for created files and removed again by rollback', async () => {
    const makesDir = {
      meta: { id: 'test/new-dir', description: 'x', rationale: 'x', severity: 'info' as const, fixable: true, sources: [] },
      check(ctx: { report(f: unknown): void; deployment: { documents: readonly { file: { path: string } }[] } }) {
        const doc = ctx.deployment.documents[0]!;
        ctx.report({
          file: doc.file.path,
          message: 'gravity gets its own folder',
          fix: { description: 'create', changes: [{ kind: 'create', file: 'gravity/state/handlers.yml', text: 'gravity: {}\n' }] },
        });
      },
    };
    const dir = writeTree(tempDir(), { 'config/galaxy.yml': 'galaxy:\n  brand: x\n' });
    const before = readTree(dir);
    const r = await runWith(['apply', '--yes', '.'], dir, { deps: { rules: [makesDir as never] } });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'gravity/state/handlers.yml'), 'utf8')).toBe('gravity: {}\n');
    expect((await runWith(['rollback'], dir)).code).toBe(0);
    expect(readTree(dir)).toEqual(before);
    expect(existsSync(join(dir, 'gravity'))).toBe(false);
  });
});

