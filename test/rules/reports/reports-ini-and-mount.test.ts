import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';

/*
 * reports-ini: a Paste-era reports.ini whose [uwsgi] served Reports at /reports, beside a Galaxy
 * already on Gravity. The ini is reported, not converted (the finding says exactly why and shows
 * the `reports:` mapping to add once reports.yml exists); its `mount` is described as
 * gravity.reports.url_prefix, as is the mount of a reports.yml (uwsgi-both), while Galaxy's own
 * mount keeps naming galaxy.galaxy_url_prefix.
 */

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');

interface Finding {
  ruleId: string;
  file: string;
  line: number;
  severity: string;
  fixable: boolean;
  message: string;
  notes?: string[];
}
interface Plan {
  findings: Finding[];
  changes: { file: string }[];
}

async function plan(dir: string): Promise<Plan> {
  const r = await runCli(['plan', '--format', 'json', dir], FIXTURES);
  return JSON.parse(r.stdout) as Plan;
}

describe('reports.ini: reported with the reason, nothing written', () => {
  it('reports/uwsgi-to-gravity warns at the first [uwsgi] option, without a fix, and says why', async () => {
    const p = await plan('reports-ini');
    const f = p.findings.filter((x) => x.ruleId === 'reports/uwsgi-to-gravity');
    expect(f.map((x) => `${x.file}:${x.line} ${x.severity}${x.fixable ? ' fix' : ''}`)).toEqual(['reports-ini/config/reports.ini:10 warning']);
    expect(f[0]!.message).toContain("typed by Reports' own option schema, which galaxy-migrate does not carry");
    expect(f[0]!.message).toContain("Run Galaxy's `config_manage.py convert reports`");
    // The mapping to add points at the reports.yml convert writes, not at the ini.
    expect(f[0]!.notes).toEqual(['gravity:', '  reports:', '    enable: true', '    url_prefix: /reports', "    bind: '127.0.0.1:9001'", '    config_file: reports.yml', '    workers: 2']);
    expect(JSON.stringify(p)).not.toContain('r3ports-pass');
  });

  it('plans no change to reports.ini or galaxy.yml', async () => {
    const p = await plan('reports-ini');
    expect(p.changes.map((c) => c.file).filter((f) => /reports|galaxy\.yml/.test(f))).toEqual([]);
    expect(readFileSync(join(FIXTURES, 'reports-ini/config/reports.ini'), 'utf8')).toContain('[uwsgi]\nsocket = 127.0.0.1:9001\n');
  });
});

describe('the mount of a Reports configuration names gravity.reports.url_prefix', () => {
  const mountOf = (p: Plan, file: string) => p.findings.find((x) => x.ruleId === 'uwsgi/app-loading' && x.file === file && x.message.startsWith('`mount:'))!;

  it('in reports.ini', async () => {
    const m = mountOf(await plan('reports-ini'), 'reports-ini/config/reports.ini');
    expect(m.line).toBe(13);
    expect(m.message).toBe(
      '`mount: /reports=galaxy.webapps.reports.buildapp:uwsgi_app()` moves to `gravity.reports.url_prefix: /reports`: Gravity passes the prefix to Reports as SCRIPT_NAME, and the proxy strips it (`location /reports/ { proxy_pass http://<bind>/; }`)',
    );
  });

  it('in reports.yml, and manage-script-name says Gravity sets SCRIPT_NAME', async () => {
    const p = await plan('reports/uwsgi-both');
    const m = mountOf(p, 'reports/uwsgi-both/config/reports.yml');
    expect(m.line).toBe(7);
    expect(m.message).toContain('moves to `gravity.reports.url_prefix: /reports`');
    expect(m.message).not.toContain('galaxy_url_prefix');
    const manage = p.findings.find((x) => x.file === 'reports/uwsgi-both/config/reports.yml' && x.line === 8)!;
    expect(manage.message).toBe('`manage-script-name: true` dropped: Gravity passes `gravity.reports.url_prefix` to Reports as SCRIPT_NAME itself');
  });

  it("Galaxy's own mount still names galaxy.galaxy_url_prefix", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gm-reports-mount-'));
    try {
      writeFileSync(join(dir, 'galaxy.yml'), 'uwsgi:\n  socket: 127.0.0.1:4001\n  mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()\n  manage-script-name: true\ngalaxy:\n  brand: Prefixed\n');
      const r = await runCli(['plan', '--format', 'json', dir]);
      const m = (JSON.parse(r.stdout) as Plan).findings.find((x) => x.ruleId === 'uwsgi/app-loading' && x.message.startsWith('`mount:'))!;
      expect(m.line).toBe(3);
      expect(m.message).toContain('moves to `galaxy.galaxy_url_prefix: /galaxy`');
      expect(m.message).not.toContain('gravity.reports');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
