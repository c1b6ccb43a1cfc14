import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/deployment.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

/*
 * reports.yml is read by the galaxy.yml reader (it has a `uwsgi:` block too), but its database and its
 * uWSGI block are the Reports app's: the job rules must judge the job conf by Galaxy's galaxy.yml.
 */
const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'ansible-proxy', 'one-bind');

describe('a Reports config in an ansible inventory (no galaxy.yml read)', () => {
  it('is not taken for Galaxy by the job rules: db-skip-locked stays, nothing is said about SQLite, no job conf is created', async () => {
    const dir = tempDir('gm-reports-jobs-');
    cpSync(FIXTURE, dir, { recursive: true });
    const jobConf = join(dir, 'templates/galaxy/config/job_conf.yml.j2');
    writeFileSync(jobConf, readFileSync(jobConf, 'utf8').replace('db-transaction-isolation', 'db-skip-locked'));
    const r = await runCli(['plan', '--format', 'json', '.'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: { file: string; message: string }[]; changes: { file: string }[] };
    expect(out.changes.map((c) => c.file)).not.toContain('templates/galaxy/config/job_conf.yml.j2');
    expect(out.findings.filter((f) => /sqlite/i.test(f.message))).toEqual([]);

    rmSync(jobConf);
    const none = JSON.parse((await runCli(['plan', '--format', 'json', '.'], dir)).stdout) as { changes: { file: string; status: string }[] };
    expect(none.changes.filter((c) => c.status === 'created')).toEqual([]);
  });
});
