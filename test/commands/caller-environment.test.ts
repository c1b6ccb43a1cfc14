import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

/**
 * uWSGI's `$(VAR)`, `UWSGI_*` variables and `%h`/`%U` come from the environment uWSGI started in
 * on the server. The shell or CI job running galaxy-migrate is not that environment: a plan must
 * not change with it, nor write its PATH (or a secret variable) into galaxy.yml.
 */
const INPUT = join(PROJECT_ROOT, 'test', 'fixtures', 'uwsgi-rules', 'environment-reference', 'input');

describe('the environment galaxy-migrate runs in', () => {
  const caller = { PATH: '/home/admin/bin:/usr/bin', HOME: '/home/admin', UWSGI_PROCESSES: '9', HOSTNAME: 'laptop', USER: 'admin' };

  it('does not change the plan: same bytes as with no environment at all', async () => {
    const bare = await runCli(['plan', '--format', 'json', '.'], INPUT);
    const withCaller = await runCli(['plan', '--format', 'json', '.'], INPUT, caller);
    expect(bare.code).toBe(0);
    expect(withCaller.stdout).toBe(bare.stdout);
    expect(withCaller.stdout).not.toContain('/home/admin');
    expect(withCaller.stdout).not.toContain('workers: 9');
  });

  it('`env: PATH=$(PATH):…` is a review on its line, and is not written to gravity', async () => {
    const lint = JSON.parse((await runCli(['lint', '--format', 'json', '.'], INPUT, caller)).stdout) as {
      findings: { ruleId: string; line: number; severity: string; message: string }[];
    };
    const env = lint.findings.filter((f) => f.ruleId === 'uwsgi/environment');
    expect(env.map((f) => `${f.line} ${f.severity}`)).toEqual(['3 warning', '4 warning', '5 info']);
    expect(env[0]?.message).toBe(
      '`env` (PATH) needs review: its value uses `$(PATH)`, which uWSGI took from the environment it started in; Gravity does not expand it, so it is not written: set `PATH` under `gravity.gunicorn.environment` (and each handler\'s) by hand',
    );
    expect(env[1]?.message).toContain('`$(HOME)`');
  });

  it('show-config still answers as uWSGI run here would: it expands from this environment', async () => {
    const out = await runCli(['show-config', 'galaxy.yml'], INPUT, caller);
    expect(out.stdout).toContain('PATH=/home/admin/bin:/usr/bin:/opt/tools/bin');
  });
});
