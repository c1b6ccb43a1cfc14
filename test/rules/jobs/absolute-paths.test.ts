import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir, writeTree } from '../../helpers/deployment.js';

/**
 * A deployment named by an absolute path: the job conf the plan creates (mules, no job conf) must be
 * created beside galaxy.yml, not at the same path made relative to wherever the command runs.
 */
describe('a deployment given by its absolute path', () => {
  it('plans and applies the created job conf inside the deployment', async () => {
    const dir = writeTree(tempDir('gm-abs-'), {
      'config/galaxy.yml': 'uwsgi:\n  http: 127.0.0.1:8080\n  mule: lib/galaxy/main.py\ngalaxy:\n  brand: Abs\n',
    });
    const elsewhere = tempDir('gm-abs-cwd-');
    const plan = await runCli(['plan', '--format', 'json', dir], elsewhere);
    expect(plan.code).toBe(0);
    const created = (JSON.parse(plan.stdout) as { changes: { file: string; status: string }[] }).changes.filter((c) => c.status === 'created');
    expect(created.map((c) => c.file)).toEqual([join(dir, 'config', 'job_conf.yml')]);

    const apply = await runCli(['apply', '--yes', dir], elsewhere);
    expect(apply.code, apply.stderr).toBe(0);
    expect(readFileSync(join(dir, 'config', 'job_conf.yml'), 'utf8')).toContain('handling:');
    expect(existsSync(join(elsewhere, dir.slice(1)))).toBe(false);
  });
});
