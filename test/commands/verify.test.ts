import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderVerification } from '../../src/commands/verify.js';
import { apacheBinary, checkApache, checkNginx, nginxBinary } from '../../src/io/server-check.js';
import { runCli } from '../helpers/cli.js';

const NGINX = nginxBinary();
if (!NGINX) console.warn('[skip] plan --verify with a real nginx: nginx is not installed (apt-get install nginx)');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gm-verify-'));
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

const DEPLOYMENT = {
  'config/galaxy.yml': 'uwsgi:\n  socket: /srv/galaxy/var/uwsgi.sock\n  mount: /galaxy=galaxy.webapps.galaxy.buildapp:uwsgi_app()\n  manage-script-name: true\n  processes: 2\ngalaxy:\n  brand: Test\n',
  'nginx/conf.d/galaxy.conf': [
    'server {',
    '    listen 80;',
    '    include snippets/galaxy-location.conf;',
    '}',
    '',
  ].join('\n'),
  'nginx/snippets/galaxy-location.conf': [
    'location /galaxy {',
    '    uwsgi_pass unix:/srv/galaxy/var/uwsgi.sock;',
    '    uwsgi_param UWSGI_SCHEME $scheme;',
    '    include uwsgi_params;',
    '}',
    '',
  ].join('\n'),
};

describe.skipIf(!NGINX)('migrate plan --verify', () => {
  it('checks the rewritten nginx files, included snippet and all, and reports nginx\'s own words', async () => {
    const dir = tree(DEPLOYMENT);
    const r = await runCli(['plan', '--verify', '.'], dir);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout.slice(r.stdout.indexOf('Checked by'))).toBe(0);
    expect(r.stdout).toContain('+    proxy_pass http://unix:/srv/galaxy/var/gunicorn.sock;');
    expect(r.stdout).toMatch(/Checked by the real servers \(--verify\):\n {2}nginx -t {2}nginx\/conf\.d\/galaxy\.conf: accepted\n {4}nginx: the configuration file .* syntax is ok/);
  });

  it('keeps stdout a JSON document and sends the servers\' words to stderr', async () => {
    const dir = tree(DEPLOYMENT);
    const r = await runCli(['plan', '--verify', '--format', 'json', '.'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.changes.map((c: { file: string }) => c.file)).toContain('nginx/snippets/galaxy-location.conf');
    expect(r.stderr).toContain('nginx -t  nginx/conf.d/galaxy.conf: accepted');
  });
});

describe('verification without servers, and the report', () => {
  it('says a server is not installed and goes on', () => {
    const n = checkNginx([{ path: 'a.conf', text: 'server {}\n' }], 'a.conf', null);
    const a = checkApache([{ path: 'a.conf', text: 'ServerName x\n' }], 'a.conf', null);
    expect(n).toMatchObject({ skipped: expect.stringContaining('nginx is not installed') });
    expect(n.ok).toBeUndefined();
    expect(a).toMatchObject({ skipped: expect.stringContaining('apache2 is not installed') });
    expect(renderVerification([n, a])).toContain('nginx -t  a.conf: not checked: nginx is not installed here');
  });

  it('shows a rejection in the server\'s words', () => {
    const text = renderVerification([{ server: 'nginx', file: 'x.conf', ok: false, output: 'nginx: [emerg] unknown directive "uwsgi_pas" in x.conf:3' }]);
    expect(text).toContain('  nginx -t  x.conf: REJECTED\n    nginx: [emerg] unknown directive "uwsgi_pas" in x.conf:3');
  });

  it.skipIf(!NGINX)('a real nginx rejection comes back as it is', () => {
    const c = checkNginx([{ path: 'x.conf', text: 'location / {\n    proxy_pass http://unix:/s.sock;\n    proxy_pas x;\n}\n' }], 'x.conf');
    expect(c.ok).toBe(false);
    expect(c.output).toContain('unknown directive "proxy_pas" in x.conf:3');
  });

  it('skips unrendered templates with a reason', async () => {
    const dir = tree({
      'config/galaxy.yml': DEPLOYMENT['config/galaxy.yml'],
      'templates/nginx/galaxy.j2': 'server {\n    server_name {{ inventory_hostname }};\n    location /galaxy {\n        uwsgi_pass unix:/srv/galaxy/var/uwsgi.sock;\n        include uwsgi_params;\n    }\n}\n',
    });
    const r = await runCli(['plan', '--verify', '.'], dir);
    expect(r.stdout).toContain('nginx -t  templates/nginx/galaxy.j2: not checked: an unrendered Jinja2 template');
  });
});

describe.skipIf(!apacheBinary())('migrate plan --verify with Apache', () => {
  it('checks the rewritten vhost with apache2 -t and reports its words', async () => {
    const dir = tree({
      'config/galaxy.yml': 'uwsgi:\n  socket: 127.0.0.1:4001\n  processes: 2\ngalaxy:\n  brand: Test\n',
      'apache2/sites-available/galaxy.conf': [
        '<VirtualHost 127.0.0.1:8081>',
        '    ServerName localhost',
        '    RequestHeader set X-URL-SCHEME "%{REQUEST_SCHEME}e"',
        '    ProxyPass / uwsgi://127.0.0.1:4001/',
        '</VirtualHost>',
        '',
      ].join('\n'),
    });
    const r = await runCli(['plan', '--verify', '.'], dir);
    expect(r.code, r.stdout.slice(r.stdout.indexOf('Checked by'))).toBe(0);
    expect(r.stdout).toContain('+    ProxyPass / http://127.0.0.1:4001/');
    expect(r.stdout).toMatch(/apache2 -t {2}apache2\/sites-available\/galaxy\.conf: accepted\n {4}Syntax OK/);
  });
});
