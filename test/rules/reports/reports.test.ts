import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNginx, nginxBinary } from '../../../src/io/server-check.js';
import { runCli } from '../../helpers/cli.js';
import { PROJECT_ROOT } from '../../helpers/shared.js';
import { celeryBlock } from '../../helpers/celery-block.js';

/*
 * The Reports app moves from its own uWSGI configuration into Gravity (`gravity.reports`, §1.8):
 * the plan's bytes for each file of two deployments, the findings a user sees, and the real
 * `nginx -t` on the rewritten proxy.
 *
 * uwsgi-both:   Galaxy and Reports both on uWSGI; `reports:` joins the gravity: section that
 *               uwsgi/section-to-gravity writes in place of Galaxy's uwsgi: (one edit, no conflict).
 * gravity-unix: Galaxy already on Gravity; Reports on a unix socket → merged into the existing gravity:.
 */

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'reports');
const NGINX = nginxBinary();
if (!NGINX) console.warn('[skip] nginx -t on the rewritten Reports location: nginx is not installed (apt-get install nginx)');

interface Plan {
  findings: { ruleId: string; file: string; line: number; severity: string; fixable: boolean }[];
  changes: { file: string; status: string; ruleIds: string[] }[];
  summary: { changedFiles: number };
}

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

async function plan(dir: string, cwd = FIXTURES): Promise<{ code: number; stdout: string; plan: Plan }> {
  const r = await runCli(['plan', '--format', 'json', dir], cwd);
  return { code: r.code, stdout: r.stdout, plan: JSON.parse(r.stdout) as Plan };
}

/** Applies the plan of a fixture into a scratch copy and returns the written texts by relative path. */
async function applied(name: string, files: readonly string[]): Promise<{ out: string; text: Record<string, string> }> {
  const out = join(mkdtempSync(join(tmpdir(), 'gm-reports-')), 'out');
  scratch.push(join(out, '..'));
  const r = await runCli(['apply', '--yes', '--out', out, name], FIXTURES);
  expect(r.code, r.stderr).toBe(0);
  const text: Record<string, string> = {};
  for (const f of files) text[f] = readFileSync(join(out, f), 'utf8');
  return { out, text };
}

const reportsFindings = (p: Plan) => p.findings.filter((f) => f.ruleId.startsWith('reports/')).map((f) => `${f.ruleId} ${f.file}:${f.line}${f.fixable ? ' fix' : ''}`);

describe('reports: Galaxy and Reports both on uWSGI (fixture uwsgi-both)', () => {
  it('plans one gravity: section holding reports:, removes reports.yml’s uwsgi: and rewrites /reports/ to HTTP', async () => {
    const { code, stdout, plan: p } = await plan('uwsgi-both');
    expect(code).toBe(0);
    expect(reportsFindings(p)).toEqual([
      'reports/uwsgi-to-gravity uwsgi-both/config/reports.yml:2 fix',
      'reports/nginx-uwsgi-pass uwsgi-both/nginx/galaxy.conf:12 fix',
    ]);
    // The Reports app's socket is not left behind as "another application" by the Galaxy proxy rule.
    expect(p.findings.filter((f) => f.ruleId === 'proxy/nginx-uwsgi-pass').map((f) => f.line)).toEqual([6]);
    // No conflict: reports: is part of the gravity: edit, not a second edit of the same bytes.
    expect(JSON.parse(stdout).conflicts ?? []).toEqual([]);
    const byFile = Object.fromEntries(p.changes.map((c) => [c.file, c.ruleIds]));
    expect(byFile['uwsgi-both/config/galaxy.yml']).toEqual(['uwsgi/section-to-gravity']);
    expect(byFile['uwsgi-both/config/reports.yml']).toEqual(['reports/uwsgi-to-gravity']);
    expect(byFile['uwsgi-both/nginx/galaxy.conf']).toContain('reports/nginx-uwsgi-pass');
    // The database password of reports.yml is never printed.
    expect(stdout).not.toContain('s3cret-db-pass');
  });

  it('writes exactly these bytes', async () => {
    const { text } = await applied('uwsgi-both', ['config/galaxy.yml', 'config/reports.yml', 'nginx/galaxy.conf']);
    expect(text['config/galaxy.yml']).toBe(
      [
        'gravity:',
        '  virtualenv: /srv/galaxy/venv',
        '  gunicorn:',
        "    bind: '127.0.0.1:4001'",
        '    workers: 2',
        ...celeryBlock('  '),
        '  reports:',
        '    enable: true',
        '    url_prefix: /reports',
        "    bind: '127.0.0.1:9001'",
        '    config_file: reports.yml',
        '    workers: 1',
        '',
        'galaxy:',
        '  # The database Galaxy and Reports share.',
        '  database_connection: postgresql://galaxy:s3cret-db-pass@localhost/galaxy',
        '  admin_users: admin@example.org',
        '',
      ].join('\n'),
    );
    // Every byte but the uwsgi: section stays: the comment, the gap, the reports: section.
    expect(text['config/reports.yml']).toBe(
      ['# Galaxy Reports, served at /reports', '', 'reports:', '  database_connection: postgresql://galaxy:s3cret-db-pass@localhost/galaxy', '  file_path: /srv/galaxy/data', ''].join('\n'),
    );
    expect(text['nginx/galaxy.conf']).toBe(
      [
        'server {',
        '    listen 80;',
        '    server_name galaxy.example.org;',
        '',
        '    location / {',
        '        proxy_pass http://127.0.0.1:4001;',
        '        proxy_set_header X-Forwarded-Proto $scheme;',
        '        proxy_set_header Host $http_host;',
        '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '        proxy_set_header Upgrade $http_upgrade;',
        '    }',
        '',
        '    location /reports/ {',
        '        proxy_pass           http://127.0.0.1:9001/;',
        '        proxy_set_header X-Forwarded-Proto $scheme;',
        '        proxy_set_header Host $http_host;',
        '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '        proxy_read_timeout   300;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('a second plan of the migrated deployment has nothing left for Reports', async () => {
    const { out } = await applied('uwsgi-both', []);
    const { code, plan: p } = await plan(out, out);
    expect(code).toBe(0);
    expect(reportsFindings(p)).toEqual([]);
    expect(p.changes.filter((c) => c.ruleIds.some((r) => r.startsWith('reports/')))).toEqual([]);
  });

  it.skipIf(!NGINX)('nginx -t accepts the original and the rewritten server block', async () => {
    const before = readFileSync(join(FIXTURES, 'uwsgi-both', 'nginx', 'galaxy.conf'), 'utf8');
    const was = checkNginx([{ path: 'nginx/galaxy.conf', text: before }], 'nginx/galaxy.conf');
    expect(was.ok, was.output).toBe(true);
    const { text } = await applied('uwsgi-both', ['nginx/galaxy.conf']);
    const now = checkNginx([{ path: 'nginx/galaxy.conf', text: text['nginx/galaxy.conf']! }], 'nginx/galaxy.conf');
    expect(now.ok, `${now.command}\n${now.output}`).toBe(true);
    expect(now.output).toMatch(/syntax is ok/);
  });
});

describe('reports: Galaxy already on Gravity, Reports on a unix socket (fixture gravity-unix)', () => {
  it('merges reports: into the existing gravity: and points the proxy at reports.sock', async () => {
    const { code, plan: p } = await plan('gravity-unix');
    expect(code).toBe(0);
    expect(reportsFindings(p)).toEqual([
      'reports/uwsgi-to-gravity gravity-unix/config/reports.yml:3 fix',
      'reports/nginx-uwsgi-pass gravity-unix/nginx/galaxy.conf:6 fix',
    ]);
    const { text } = await applied('gravity-unix', ['config/galaxy.yml', 'config/reports.yml', 'nginx/galaxy.conf']);
    expect(text['config/galaxy.yml']).toBe(
      [
        'gravity:',
        '  gunicorn:',
        '    bind: unix:/srv/galaxy/var/gunicorn.sock',
        "    extra_args: '--forwarded-allow-ips=\"*\"'",
        '  reports:',
        '    enable: true',
        "    bind: 'unix:/srv/galaxy/var/reports.sock'",
        '    config_file: reports.yml',
        '    timeout: 600',
        "    extra_args: '--forwarded-allow-ips=\"*\"'",
        '',
        'galaxy:',
        '  admin_users: admin@example.org',
        '',
      ].join('\n'),
    );
    expect(text['config/reports.yml']).toBe('reports:\n  file_path: /srv/galaxy/data\n');
    // The bind written into gravity.reports is the address the location now proxies to.
    expect(text['nginx/galaxy.conf']).toBe(
      [
        'server {',
        '    listen 80;',
        '    server_name reports.example.org;',
        '',
        '    location / {',
        '        proxy_pass http://unix:/srv/galaxy/var/reports.sock;',
        '        proxy_set_header Host $http_host;',
        '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '        proxy_set_header X-Forwarded-Proto $scheme;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    if (NGINX) {
      const now = checkNginx([{ path: 'nginx/galaxy.conf', text: text['nginx/galaxy.conf']! }], 'nginx/galaxy.conf');
      expect(now.ok, `${now.command}\n${now.output}`).toBe(true);
    }
  });

  it('for Galaxy 22.05 (Gravity before 1.0) nothing is moved and the finding says why', async () => {
    const r = await runCli(['plan', '--format', 'json', '--target', '22.05', 'gravity-unix'], FIXTURES);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as Plan & { findings: { message: string; ruleId: string }[] };
    const f = p.findings.filter((x) => x.ruleId.startsWith('reports/'));
    expect(f.map((x) => `${x.ruleId} ${x.fixable}`)).toEqual(['reports/uwsgi-to-gravity false']);
    expect(f[0]!.message).toMatch(/Gravity 1\.0, i\.e\. Galaxy 23\.0/);
    expect(p.changes.filter((c) => c.ruleIds.some((id) => id.startsWith('reports/')))).toEqual([]);
  });
});
