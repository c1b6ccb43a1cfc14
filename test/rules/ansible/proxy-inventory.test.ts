import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { celeryBlock } from '../../helpers/celery-block.js';
import { planAfter, type Planned, type PlannedFinding } from '../../helpers/plan-after.js';

/*
 * Issue 5: an ansible inventory is one model. The `galaxy_config.uwsgi` blocks decide the gunicorn
 * bind once; the gravity: the ansible rule writes and the nginx template the proxy rules rewrite use
 * that one decision, and Reports' `reports:` rides in the same gravity: edit. Where the inventory's
 * hosts get different binds, a literal address in the shared template is reported, not guessed.
 * Fixtures: test/fixtures/ansible-proxy/ (one-bind: a group with one uWSGI block, a Reports uWSGI
 * template and an nginx template; two-binds: a host_vars block overriding the group's listener).
 */
const FIXTURES = fileURLToPath(new URL('../../fixtures/ansible-proxy/', import.meta.url));
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** `migrate plan` of DIR, run from the fixtures (or from `cwd`, e.g. an applied copy). */
const plan = (dir: string, cwd = FIXTURES): Promise<Planned> => planAfter(dir, cwd);

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** `apply --yes --out` into a new directory; returns it. */
async function applyOut(dir: string): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'gm-ansible-proxy-'));
  scratch.push(out);
  rmSync(out, { recursive: true, force: true });
  const r = await runCli(['apply', '--yes', '--out', out, dir], FIXTURES);
  expect(r.stderr).not.toMatch(/cannot|error:/i);
  return out;
}

const CELERY = celeryBlock('    ');

const ONE_BIND_VARS = lines(
  '# The Galaxy servers of a small teaching inventory.',
  'galaxy_server_dir: "{{ galaxy_root }}/server"',
  'galaxy_systemd_mode: gravity',
  '',
  'galaxy_config:',
  '  galaxy:',
  '    brand: Teaching',
  '    admin_users: admin@example.org',
  '  gravity:',
  "    virtualenv: '{{ galaxy_venv_dir }}'",
  '    gunicorn:',
  "      bind: '127.0.0.1:8080'",
  '      workers: 2',
  ...CELERY,
  '    handlers:',
  '      handler:',
  '        processes: 2',
  '        pools:',
  '          - job-handlers',
  '          - workflow-schedulers',
  "    # Reports, which ran under uWSGI (reports.yml's uwsgi: section)",
  '    reports:',
  '      enable: true',
  '      url_prefix: /reports',
  "      bind: '127.0.0.1:9001'",
  "      config_file: '{{ galaxy_config_dir }}/reports.yml'",
  '      workers: 1',
  '  # from uWSGI `socket`: the proxy talks uwsgi to this socket',
  '',
  'galaxy_config_templates:',
  '  - src: templates/galaxy/config/reports.yml',
  '    dest: "{{ galaxy_config_dir }}/reports.yml"',
  '  - src: templates/galaxy/config/job_conf.yml.j2',
  '    dest: "{{ galaxy_config_dir }}/job_conf.yml"',
);

const ONE_BIND_REPORTS = lines(
  'reports:',
  '  database_connection: "{{ galaxy_config.galaxy.database_connection }}"',
  '  file_path: /data',
  '  filter-with: proxy-prefix',
  '  cookie-path: /reports',
);

const ONE_BIND_NGINX = lines(
  'server {',
  '    listen        *:443 ssl;',
  '    server_name   "{{ inventory_hostname }}";',
  '',
  '    # Galaxy itself',
  '    location / {',
  '        proxy_pass http://127.0.0.1:8080;',
  '        proxy_set_header X-Forwarded-Proto $scheme;',
  '        proxy_set_header Host $http_host;',
  '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  '        proxy_set_header Upgrade $http_upgrade;',
  '    }',
  '',
  '{% if galaxy_api_location | default(true) %}',
  '    location /api {',
  '        proxy_pass http://{{ galaxy_config.gravity.gunicorn.bind }};',
  '        proxy_set_header X-Forwarded-Proto $scheme;',
  '        proxy_set_header Host $http_host;',
  '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  '        proxy_set_header Upgrade $http_upgrade;',
  '    }',
  '{% endif %}',
  '',
  '    location /static {',
  '        alias {{ galaxy_server_dir }}/static;',
  '        expires 24h;',
  '    }',
  '',
  '    location /reports/ {',
  '        proxy_pass    http://127.0.0.1:9001/;',
  '        proxy_set_header X-Forwarded-Proto $scheme;',
  '        proxy_set_header Host $http_host;',
  '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
  '    }',
  '}',
);

describe('one inventory, one bind: group_vars uwsgi, the nginx template and Reports planned as one model', () => {
  it('plans the exact bytes of every file it changes, and only those', async () => {
    const p = await plan('one-bind');
    expect(p.code).toBe(0);
    expect(Object.keys(p.after).sort()).toEqual([
      'one-bind/group_vars/galaxyservers.yml',
      'one-bind/templates/galaxy/config/reports.yml',
      'one-bind/templates/nginx/galaxy.j2',
    ]);
    expect(p.after['one-bind/group_vars/galaxyservers.yml']).toBe(ONE_BIND_VARS);
    expect(p.after['one-bind/templates/galaxy/config/reports.yml']).toBe(ONE_BIND_REPORTS);
    expect(p.after['one-bind/templates/nginx/galaxy.j2']).toBe(ONE_BIND_NGINX);
  });

  it('the bind written into gravity is the address the rewritten proxy_pass points at (Galaxy and Reports)', async () => {
    const p = await plan('one-bind');
    const vars = parse(p.after['one-bind/group_vars/galaxyservers.yml']!) as { galaxy_config: { gravity: { gunicorn: { bind: string }; reports: { bind: string } } } };
    const nginx = p.after['one-bind/templates/nginx/galaxy.j2']!;
    const passOf = (location: string): string => new RegExp(`location ${location} \\{\\n\\s*proxy_pass\\s+http://([^;/]+)/?;`).exec(nginx)![1]!;
    expect(passOf('/')).toBe(vars.galaxy_config.gravity.gunicorn.bind);
    expect(passOf('/reports/')).toBe(vars.galaxy_config.gravity.reports.bind);
  });

  it('the proxy finding gives the model’s bind (no “no uWSGI configuration was read” guess) and Reports no longer waits for a second edit', async () => {
    const p = await plan('one-bind');
    const pass = p.findings.filter((f) => f.ruleId === 'proxy/nginx-uwsgi-pass').map((f) => [f.line, f.severity]);
    expect(pass).toEqual([
      [7, 'error'],
      [14, 'error'],
    ]);
    const main = p.findings.find((f) => f.ruleId === 'proxy/nginx-uwsgi-pass' && f.line === 7)!;
    expect(main.message).toContain("gunicorn's bind in gravity: is 127.0.0.1:8080");
    expect(p.findings.some((f) => /no uWSGI configuration of Galaxy was read/.test(f.message))).toBe(false);
    const reports = p.findings.find((f) => f.ruleId === 'reports/uwsgi-to-gravity')!;
    expect([reports.file, reports.line, reports.severity]).toEqual(['one-bind/templates/galaxy/config/reports.yml', 1, 'warning']);
    expect(reports.message).toContain('written into the `gravity:` section ansible/galaxy-config-uwsgi writes in place of `galaxy_config.uwsgi`');
    expect(reports.message).not.toContain('add it by hand');
  });

  it('for Galaxy 22.05 (Gravity before 1.0 has no gravity.reports) the gravity: written carries no reports: and Reports is left on uWSGI', async () => {
    const r = await runCli(['plan', '--target', '22.05', '--format', 'json', 'one-bind'], FIXTURES);
    const out = JSON.parse(r.stdout) as { changes: { file: string; after: string }[]; findings: PlannedFinding[] };
    expect(out.changes.map((c) => c.file).sort()).toEqual(['one-bind/group_vars/galaxyservers.yml', 'one-bind/templates/nginx/galaxy.j2']);
    const vars = out.changes.find((c) => c.file === 'one-bind/group_vars/galaxyservers.yml')!.after;
    expect(vars).toBe(ONE_BIND_VARS.replace(/ {4}# Reports, which ran[^\n]*\n {4}reports:\n( {6}[^\n]*\n)+/, ''));
    expect(out.changes.find((c) => c.file === 'one-bind/templates/nginx/galaxy.j2')!.after).toContain('        uwsgi_pass    127.0.0.1:9001;');
    const reports = out.findings.find((f) => f.ruleId === 'reports/uwsgi-to-gravity')!;
    expect([reports.line, reports.severity]).toEqual([1, 'warning']);
    expect(reports.message).toContain('only from Gravity 1.0');
  });

  it('apply --yes --out writes those bytes, and a plan of the result proposes nothing', async () => {
    const out = await applyOut('one-bind');
    expect(readFileSync(join(out, 'group_vars/galaxyservers.yml'), 'utf8')).toBe(ONE_BIND_VARS);
    expect(readFileSync(join(out, 'templates/nginx/galaxy.j2'), 'utf8')).toBe(ONE_BIND_NGINX);
    expect(readFileSync(join(out, 'templates/galaxy/config/reports.yml'), 'utf8')).toBe(ONE_BIND_REPORTS);
    const again = await plan('.', out);
    expect(again.code).toBe(0);
    expect(again.after).toEqual({});
    expect(again.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

const TWO_BINDS_NGINX_BEFORE = lines(
  'server {',
  '    listen 80;',
  '',
  '    location / {',
  '        uwsgi_pass 127.0.0.1:8080;',
  '        include uwsgi_params;',
  '    }',
  '',
);

describe('a host_vars uwsgi block with another listener than the group’s', () => {
  it('each vars file gets its own bind; the template’s literal address is an error without a fix, its galaxy_config reference is rewritten', async () => {
    const p = await plan('two-binds');
    expect(p.code).toBe(0);
    expect(p.after['two-binds/group_vars/galaxyservers.yml']).toBe(
      lines(
        '# Every Galaxy server; a host may override the uWSGI settings in its host_vars.',
        'galaxy_systemd_mode: gravity',
        'group_galaxy_config:',
        '  gravity:',
        '    gunicorn:',
        "      bind: '127.0.0.1:8080'",
        '      workers: 2',
        ...CELERY,
        'galaxy_config: "{{ group_galaxy_config | combine(host_galaxy_config | default({}), recursive=True) }}"',
      ),
    );
    // A host_vars file whose only variable is host_galaxy_config is found when the directory is walked.
    expect(p.after['two-binds/host_vars/big.example.org.yml']).toBe(
      lines(
        'host_galaxy_config:',
        '  gravity:',
        '    gunicorn:',
        "      bind: 'unix:/srv/galaxy/var/gunicorn.sock'",
        '      workers: 8',
        `      extra_args: '--forwarded-allow-ips="*"'`,
        ...CELERY,
      ),
    );
    expect(p.after['two-binds/templates/nginx/galaxy.j2']).toBe(
      TWO_BINDS_NGINX_BEFORE +
        lines(
          '    location /api {',
          '{% if galaxy_api_socket is defined %}',
          '        proxy_pass http://{{ galaxy_config.gravity.gunicorn.bind }};',
          '{% endif %}',
          '        proxy_set_header Host $http_host;',
          '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
          '        proxy_set_header X-Forwarded-Proto $scheme;',
          '        proxy_set_header Upgrade $http_upgrade;',
          '    }',
          '}',
        ),
    );
    const literal = p.findings.find((f) => f.ruleId === 'proxy/nginx-uwsgi-pass' && f.line === 5)!;
    expect([literal.file, literal.severity, literal.fixable]).toEqual(['two-binds/templates/nginx/galaxy.j2', 'error', false]);
    expect(literal.message).toContain('group galaxyservers (two-binds/group_vars/galaxyservers.yml, `group_galaxy_config.uwsgi`) binds 127.0.0.1:8080');
    expect(literal.message).toContain('host big.example.org (two-binds/host_vars/big.example.org.yml, `host_galaxy_config.uwsgi`) binds unix:/srv/galaxy/var/gunicorn.sock');
    // Nothing else in that location is half-converted.
    expect(p.findings.filter((f) => f.file.endsWith('galaxy.j2') && f.line === 6)).toEqual([]);
  });

  it('after apply, a second plan changes nothing and still reports the literal address against both binds', async () => {
    const out = await applyOut('two-binds');
    const again = await plan('.', out);
    expect(again.after).toEqual({});
    const literal = again.findings.filter((f) => f.severity !== 'info');
    expect(literal.map((f) => [f.ruleId, f.file, f.line, f.severity])).toEqual([['proxy/nginx-uwsgi-pass', 'templates/nginx/galaxy.j2', 5, 'error']]);
    expect(literal[0]!.message).toContain('binds 127.0.0.1:8080; host big.example.org (host_vars/big.example.org.yml, `host_galaxy_config.gravity`) binds unix:/srv/galaxy/var/gunicorn.sock');
  });
});
