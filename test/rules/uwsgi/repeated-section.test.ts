import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir, writeTree } from '../../helpers/deployment.js';

/*
 * A galaxy.yml with two `uwsgi:` sections (found by the long pipeline fuzz): uWSGI read only the first.
 * Replacing just that one would leave the second to be migrated by the next plan as if it had run.
 */
describe('a galaxy.yml with two uwsgi: sections', () => {
  it('is not rewritten; the finding names both lines, and planning again says the same', async () => {
    const dir = writeTree(tempDir('gm-two-uwsgi-'), {
      'config/galaxy.yml': 'uwsgi:\nuwsgi:\n  http: 127.0.0.1:8080\n  processes: 2\ngalaxy:\n  brand: Two\n',
    });
    const first = await runCli(['plan', '--format', 'json', '.'], dir);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout) as { findings: { ruleId: string; line: number; message: string }[]; changes: { file: string }[] };
    expect(out.changes.map((c) => c.file)).not.toContain('config/galaxy.yml');
    const s2g = out.findings.filter((f) => f.ruleId === 'uwsgi/section-to-gravity');
    expect(s2g.map((f) => f.line)).toEqual([1]);
    expect(s2g[0]!.message).toContain('this file has 2 `uwsgi:` sections and uWSGI read only the first (line 1); the options at line 2 were never applied');
    const apply = await runCli(['apply', '--yes', '.'], dir);
    expect(apply.code).not.toBe(2);
    const again = await runCli(['plan', '--format', 'json', '.'], dir);
    expect(JSON.parse(again.stdout).changes.map((c: { file: string }) => c.file)).not.toContain('config/galaxy.yml');
  });
});
