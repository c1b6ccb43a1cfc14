import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureBuilt, TEST_CLI } from '../helpers/build.js';
import { SAMPLE, SECRETS, tempDir, writeTree } from '../helpers/deployment.js';
import { runWith } from '../helpers/run-with-rules.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames: boolean;
}

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const bin = Object.keys(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).bin);

  it('runs commands the CLI has, on the whole deployment, when a configuration file changes', async () => {
    expect(hooks.map((h) => h.id)).toEqual(['galaxy-migrate-lint', 'galaxy-migrate-check']);
    for (const h of hooks) {
      const [cmd, ...args] = h.entry.split(' ');
      expect(bin).toContain(cmd);
      expect(h.language).toBe('node');
      expect(h.pass_filenames).toBe(false);
      expect((await runWith([...args, '--help'], tempDir())).code).toBe(0);
      const files = new RegExp(h.files);
      for (const f of ['config/galaxy.yml', 'group_vars/galaxyservers.yml', 'templates/nginx/galaxy.j2', 'nginx/sites-available/galaxy', 'job_conf.xml', 'uwsgi.ini']) {
        expect(files.test(f), `${h.id} runs for ${f}`).toBe(true);
      }
      for (const f of ['README.md', 'scripts/deploy.sh']) expect(files.test(f), `${h.id} skips ${f}`).toBe(false);
    }
  });

  it('its entries behave as CI needs: lint fails on findings, plan --check fails while a change is pending', async () => {
    const dir = writeTree(tempDir('gm-hook-'), SAMPLE);
    for (const h of hooks) expect((await runWith(h.entry.split(' ').slice(1), dir)).code, h.id).toBe(1);
    expect((await runWith(['apply', '--yes'], dir)).code).toBe(0);
    expect((await runWith(['plan', '--check'], dir)).code).toBe(0);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8'));
  const lintStep = action.runs.steps.find((s: { name: string }) => s.name === 'Lint');
  beforeAll(() => ensureBuilt(), 180_000);

  const runStep = (cwd: string, inputs: Record<string, string>) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1', GM_CLI: TEST_CLI };
    for (const [k, v] of Object.entries(lintStep.env as Record<string, string>)) {
      const m = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(v);
      if (m) env[k] = inputs[m[1]!] ?? action.inputs[m[1]!].default;
    }
    const summary = join(tempDir('gm-action-'), 'summary.md');
    writeFileSync(summary, '');
    env.GITHUB_STEP_SUMMARY = summary;
    // as GitHub runs `shell: bash` steps
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', lintStep.run], { cwd, env, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, summary: readFileSync(summary, 'utf8') };
  };

  it('is a composite action whose inputs all reach the lint step through the environment', () => {
    expect(action.runs.using).toBe('composite');
    const used = Object.values(lintStep.env as Record<string, string>).join(' ');
    for (const input of Object.keys(action.inputs)) expect(used, input).toContain(`inputs.${input} }}`);
    expect(lintStep.run).not.toContain('${{');
  });

  it('annotates, writes the job summary and SARIF, and fails on findings', () => {
    const dir = writeTree(tempDir('gm-action-'), SAMPLE);
    const r = runStep(dir, { 'sarif-file': 'out.sarif', path: 'config nginx' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error file=nginx/galaxy.conf,line=4,col=9,endColumn=19,title=test/uwsgi-pass::');
    expect(r.summary).toContain('### galaxy-migrate lint');
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    for (const s of SECRETS) expect(r.stdout + r.summary + JSON.stringify(sarif)).not.toContain(s);
  });

  it('passes when nothing reaches fail-on and warnings stay under max-warnings; a bad config fails with 2', () => {
    const dir = writeTree(tempDir('gm-action-'), { 'config/galaxy.yml': 'galaxy:\n  processes: 4\n  socket: x\n' });
    expect(runStep(dir, { 'fail-on': 'error', 'max-warnings': '1' }).code).toBe(0);
    expect(runStep(dir, { 'fail-on': 'error', 'max-warnings': '0' }).code).toBe(1);
    writeFileSync(join(dir, 'bad.yml'), 'rules: [\n');
    const bad = runStep(dir, { config: 'bad.yml', 'sarif-file': 'x.sarif' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^migrate: bad\.yml:\d+:\d+: /);
  });
});
