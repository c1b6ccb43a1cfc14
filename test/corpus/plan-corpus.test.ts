import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HAVE_SHARED, SHARED_DIR, warnNoShared } from '../helpers/shared.js';

warnNoShared('plan of the whole corpus');

describe.skipIf(!HAVE_SHARED)('migrate plan --format json ../shared/corpus', () => {
  it('exits 0 and rewrites every uWSGI-era galaxy.yml of every project, each on its own model', async () => {
    const corpus = join(SHARED_DIR, 'corpus');
    const r = await runCli(['plan', '--format', 'json', '.'], corpus);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { changes: { file: string; ruleIds: string[]; after: string }[] };
    const rewritten = out.changes.filter((c) => c.ruleIds.includes('uwsgi/section-to-gravity')).map((c) => c.file);
    for (const f of [
      'LUMC__docker-galaxy-uwsgi/371943e62c/galaxy_versions/20.05/galaxy.yml',
      'galaxyproject__galaxy/72bfa2b76d/lib/galaxy/config/sample/galaxy.yml.sample',
      'galaxyproject__galaxy/9cdfd18f50/config/galaxy.yml.sample',
      'galaxyproject__galaxy/a425b5d08d/lib/galaxy/config/sample/galaxy.yml.sample',
    ]) {
      expect(rewritten).toContain(f);
      const after = out.changes.find((c) => c.file === f)!.after;
      expect(after).toMatch(/^gravity:/m);
      expect(after).not.toMatch(/^uwsgi:/m);
    }
  });

  it('never blanks out ordinary words: a weak database password does not hide every "galaxy"', async () => {
    const r = await runCli(['plan', '--format', 'json', '.'], join(SHARED_DIR, 'corpus'));
    const out = JSON.parse(r.stdout) as { findings: { message: string }[] };
    expect(out.findings.some((f) => f.message.includes('********.yml'))).toBe(false);
  });
});
