import { describe, expect, it } from 'vitest';
import { PROXY_RULES } from '../../../rules/proxy/index.js';
import type { MigrationDecisions } from '../../../src/core/model.js';
import { apacheBinary, checkApache, checkNginx, nginxBinary, type CheckFile } from '../../../src/io/server-check.js';
import { APACHE_BEFORE } from './fixtures.js';
import { deploymentOf, runOn } from './helpers.js';

/**
 * Every rewritten nginx and Apache fixture is checked by the real server (`nginx -t`, `apache2 -t`)
 * inside a minimal main config of its own; the original is checked too, so the fixtures are real
 * configurations and the rewrite keeps them valid.
 */

const NGINX = nginxBinary();
const APACHE = apacheBinary();
if (!NGINX) console.warn('[skip] nginx -t checks: nginx is not installed (apt-get install nginx; .ci/apt-packages.txt lists it)');
if (!APACHE) console.warn('[skip] apache2 -t checks: apache2 is not installed (apt-get install apache2; .ci/apt-packages.txt lists it)');

const listener = (address: { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number }) => ({
  option: 'socket',
  protocol: 'uwsgi' as const,
  address,
  file: 'config/galaxy.yml',
  range: { start: 0, end: 0 },
});
const UNIX: Partial<MigrationDecisions> = {
  legacyListeners: [listener({ kind: 'unix', path: '/srv/galaxy/var/uwsgi.sock' })],
  gunicornBind: 'unix:/srv/galaxy/var/gunicorn.sock',
  gunicornAddress: { kind: 'unix', path: '/srv/galaxy/var/gunicorn.sock' },
  forwardedAllowAll: true,
};
const TCP: Partial<MigrationDecisions> = {
  legacyListeners: [listener({ kind: 'tcp', host: '127.0.0.1', port: 4001 })],
  gunicornBind: '127.0.0.1:4001',
  gunicornAddress: { kind: 'tcp', host: '127.0.0.1', port: 4001 },
  forwardedAllowAll: false,
};

interface Case {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly entry: string;
  readonly decisions: Partial<MigrationDecisions>;
  /** Expected to contain after the rewrite (in the entry file). */
  readonly contains: readonly string[];
}

const NGINX_CASES: Case[] = [
  {
    name: 'server block, unix socket, shared timeout, TIaaS kept, X-Accel',
    entry: 'sites-enabled/galaxy',
    decisions: UNIX,
    files: {
      'sites-enabled/galaxy': [
        'server {',
        '    listen 80;',
        '    server_name galaxy.example.org;',
        '    client_max_body_size 10g;',
        '    uwsgi_read_timeout 300;',
        '    location / {',
        '        uwsgi_pass unix:///srv/galaxy/var/uwsgi.sock;',
        '        uwsgi_param UWSGI_SCHEME $scheme;',
        '        include uwsgi_params;',
        '        uwsgi_param HTTP_REMOTE_USER $remote_user if_not_empty;',
        '        uwsgi_buffering off;',
        '    }',
        '    location ~ ^/api/dataset_collections/([^/]+)/download/?$ {',
        '        proxy_buffering off;',
        '        uwsgi_pass unix:///srv/galaxy/var/uwsgi.sock;',
        '        uwsgi_param UWSGI_SCHEME $scheme;',
        '        include uwsgi_params;',
        '    }',
        '    location /tiaas {',
        '        uwsgi_pass 127.0.0.1:5002;',
        '        include uwsgi_params;',
        '    }',
        '    location /_x_accel_redirect/ {',
        '        internal;',
        '        alias /;',
        '    }',
        '}',
        '',
      ].join('\n'),
    },
    contains: ['proxy_pass http://unix:/srv/galaxy/var/gunicorn.sock;', 'proxy_set_header REMOTE_USER $remote_user;', 'uwsgi_pass 127.0.0.1:5002;', 'proxy_read_timeout 300;'],
  },
  {
    name: 'prefix with SCRIPT_NAME and uwsgi_modifier1 30, TCP socket, pass inside if',
    entry: 'conf.d/galaxy.conf',
    decisions: { ...TCP, urlPrefix: '/galaxy' },
    files: {
      'conf.d/galaxy.conf': [
        'server {',
        '\tlisten 8080;',
        '\tlocation /galaxy {',
        '\t\tif ($request_method = PATCH) {',
        '\t\t\tuwsgi_pass 127.0.0.1:4001;',
        '\t\t}',
        '\t\tuwsgi_pass 127.0.0.1:4001;',
        '\t\tuwsgi_param SCRIPT_NAME /galaxy;',
        '\t\tuwsgi_modifier1 30;',
        '\t\tuwsgi_param UWSGI_SCHEME /galaxy;',
        '\t\tinclude uwsgi_params;',
        '\t}',
        '\trewrite ^/galaxy$ /galaxy/ last;',
        '}',
        '',
      ].join('\n'),
    },
    contains: ['proxy_pass http://127.0.0.1:4001;', 'proxy_set_header X-Forwarded-Proto $scheme;'],
  },
  {
    name: 'http-level config with an upstream, buffers, includes and a Lua block',
    entry: 'nginx.conf',
    decisions: UNIX,
    files: {
      'nginx.conf': [
        'events { worker_connections 64; }',
        'http {',
        '    include mime.types;',
        '    uwsgi_buffers 8 16384;',
        '    uwsgi_buffer_size 16384;',
        '    upstream galaxy {',
        '        server unix:/srv/galaxy/var/uwsgi.sock;',
        '    }',
        '    include conf.d/*.conf;',
        '}',
        '',
      ].join('\n'),
      'conf.d/galaxy.conf': [
        'server {',
        '    listen 80;',
        '    location / {',
        '        uwsgi_pass galaxy;',
        '        include uwsgi_params;',
        '        uwsgi_param Host $host;',
        '        uwsgi_param X-Real-IP $remote_addr;',
        '    }',
        '    location = /health {',
        '        return 200 "ok; {fine}";',
        '    }',
        '}',
        '',
      ].join('\n'),
    },
    contains: ['server unix:/srv/galaxy/var/gunicorn.sock;', 'proxy_buffers 8 16384;'],
  },
  {
    name: 'no uWSGI config at all: the conventional address, said so',
    entry: 'galaxy.nginx',
    decisions: {},
    files: {
      'galaxy.nginx': [
        'server {',
        '    listen 80 default_server;',
        '    location / {',
        '        include uwsgi_params;',
        '        uwsgi_read_timeout 180;',
        '        uwsgi_pass uwsgi://127.0.0.1:8000;',
        '        uwsgi_param X-Forwarded-Proto $http_x_forwarded_proto;',
        '    }',
        '    location /reports/ {',
        '        uwsgi_pass 127.0.0.1:9001;',
        '        include uwsgi_params;',
        '    }',
        '}',
        '',
      ].join('\n'),
    },
    contains: ['proxy_pass http://127.0.0.1:8000;', 'uwsgi_pass 127.0.0.1:9001;'],
  },
];

const withIncludes = (c: Case, after: Record<string, string>): CheckFile[] => Object.keys(c.files).map((p) => ({ path: p, text: after[p]! }));

describe.skipIf(!NGINX)('nginx -t accepts every rewritten nginx fixture', () => {
  it.each(NGINX_CASES)('$name', (c) => {
    const before = checkNginx(withIncludes(c, c.files), c.entry);
    expect(before.ok, `the original is valid nginx:\n${before.output}`).toBe(true);
    const d = deploymentOf(c.files, c.decisions);
    const out = runOn(d, PROXY_RULES);
    const text = Object.values(out.after).join('\n');
    for (const s of c.contains) expect(text).toContain(s);
    // No uwsgi_* directive and no include uwsgi_params is left in Galaxy's locations.
    for (const [path, t] of Object.entries(out.after)) {
      for (const block of t.split(/\n\s*location\s/).slice(1)) {
        const head = block.split('\n')[0]!;
        if (/tiaas|reports/.test(head)) continue;
        const body = block.split(/\n\s*}\s*\n/)[0]!;
        expect(body, `${path}: location ${head}`).not.toMatch(/\buwsgi_|include\s+uwsgi_params/);
      }
    }
    const check = checkNginx(withIncludes(c, out.after), c.entry);
    expect(check.ok, `${check.command}\n${check.output}`).toBe(true);
    expect(check.output).toMatch(/syntax is ok/);
  });
});

describe.skipIf(!APACHE)('apache2 -t accepts every rewritten Apache fixture', () => {
  const cases: Case[] = [
    { name: 'unix socket at a prefix, Reports app kept', entry: 'apache/galaxy.conf', decisions: { ...UNIX, urlPrefix: '/galaxy' }, files: { 'apache/galaxy.conf': APACHE_BEFORE }, contains: ['|http://localhost/galaxy'] },
    {
      name: 'TCP in a Location, Debian modules',
      entry: 'sites-available/galaxy.conf',
      decisions: TCP,
      files: {
        'sites-available/galaxy.conf': [
          '<VirtualHost 127.0.0.1:8081>',
          '    ServerName localhost',
          '    RequestHeader set X-URL-SCHEME https',
          '    <Location "/">',
          '        ProxyPass "uwsgi://127.0.0.1:4001/"',
          '    </Location>',
          '</VirtualHost>',
          '',
        ].join('\n'),
      },
      contains: ['ProxyPass "http://127.0.0.1:4001/"', 'RequestHeader set X-Forwarded-Proto https', 'ProxyPreserveHost On'],
    },
  ];
  it.each(cases)('$name', (c) => {
    const before = checkApache(withIncludes(c, c.files), c.entry);
    expect(before.ok, `the original is valid Apache:\n${before.output}`).toBe(true);
    const out = runOn(deploymentOf(c.files, c.decisions, Object.fromEntries(Object.keys(c.files).map((p) => [p, 'apache' as const]))), PROXY_RULES);
    for (const s of c.contains) expect(out.after[c.entry]).toContain(s);
    const check = checkApache(withIncludes(c, out.after), c.entry);
    expect(check.ok, `${check.command}\n${check.output}`).toBe(true);
    expect(check.output).toMatch(/Syntax OK/);
  });
});
