import { describe, expect, it } from 'vitest';
import { PROXY_RULES } from '../../../rules/proxy/index.js';
import { deploymentOf, runOn } from './helpers.js';

const unixListener = {
  legacyListeners: [{ option: 'socket', protocol: 'uwsgi' as const, address: { kind: 'unix' as const, path: '/srv/galaxy/var/uwsgi.sock' }, file: 'config/galaxy.yml', range: { start: 0, end: 0 } }],
  gunicornBind: 'unix:/srv/galaxy/var/gunicorn.sock',
  gunicornAddress: { kind: 'unix' as const, path: '/srv/galaxy/var/gunicorn.sock' },
  forwardedAllowAll: true,
};
const tcpListener = {
  legacyListeners: [{ option: 'socket', protocol: 'uwsgi' as const, address: { kind: 'tcp' as const, host: '127.0.0.1', port: 4001 }, file: 'config/galaxy.yml', range: { start: 0, end: 0 } }],
  gunicornBind: '127.0.0.1:4001',
  gunicornAddress: { kind: 'tcp' as const, host: '127.0.0.1', port: 4001 },
  forwardedAllowAll: false,
};

describe('nginx: Galaxy location over a unix socket', () => {
  const before = [
    'server {',
    '    listen 80;',
    '    # proxy all requests not matching other locations to uWSGI',
    '    location / {',
    '        uwsgi_pass unix:///srv/galaxy/var/uwsgi.sock;',
    '        uwsgi_param UWSGI_SCHEME $scheme;',
    '        include uwsgi_params;',
    '        uwsgi_read_timeout 180;',
    '    }',
    '}',
    '',
  ].join('\n');

  it('rewrites to proxy_pass http://unix: with the §4.2 headers, every other byte kept', () => {
    const out = runOn(deploymentOf({ 'nginx/galaxy.conf': before }, unixListener), PROXY_RULES);
    expect(out.after['nginx/galaxy.conf']).toBe(
      [
        'server {',
        '    listen 80;',
        '    # proxy all requests not matching other locations to uWSGI',
        '    location / {',
        '        proxy_pass http://unix:/srv/galaxy/var/gunicorn.sock;',
        '        proxy_set_header X-Forwarded-Proto $scheme;',
        '        proxy_set_header Host $http_host;',
        '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '        proxy_set_header Upgrade $http_upgrade;',
        '        proxy_read_timeout 180;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    expect(out.ids).toEqual(['proxy/nginx-uwsgi-pass@5', 'proxy/nginx-uwsgi-scheme@6', 'proxy/nginx-uwsgi-params@7', 'proxy/nginx-uwsgi-tuning@8']);
    expect(out.findings[0]!.severity).toBe('error');
    expect(out.findings[1]!.notes?.join('\n')).toContain('--forwarded-allow-ips="*"');
  });

  it('keeps tabs, CRLF and aligned spacing', () => {
    const crlf = 'server {\r\n\tlocation / {\r\n\t\tuwsgi_pass      127.0.0.1:4001;\r\n\t\tinclude         uwsgi_params;\r\n\t}\r\n}\r\n';
    const out = runOn(deploymentOf({ 'galaxy.conf': crlf }, tcpListener), PROXY_RULES);
    expect(out.after['galaxy.conf']).toBe(
      'server {\r\n\tlocation / {\r\n\t\tproxy_pass      http://127.0.0.1:4001;\r\n\t\tproxy_set_header Host $http_host;\r\n\t\tproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\r\n\t\tproxy_set_header X-Forwarded-Proto $scheme;\r\n\t\tproxy_set_header Upgrade $http_upgrade;\r\n\t}\r\n}\r\n',
    );
  });
});

describe('nginx: only Galaxy changes', () => {
  const before = [
    'server {',
    '\tlocation / {',
    '\t\tuwsgi_pass 127.0.0.1:4001;',
    '\t\tinclude uwsgi_params;',
    '\t\tinclude uwsgi_params;',
    '\t\tuwsgi_param HTTPS on;',
    '\t\tuwsgi_param REQUEST_SCHEME https;',
    '\t}',
    '\t# TIaaS',
    '\tlocation /tiaas {',
    '\t\tuwsgi_pass 127.0.0.1:5002;',
    '\t\tuwsgi_param UWSGI_SCHEME $scheme;',
    '\t\tinclude uwsgi_params;',
    '\t}',
    '\tuwsgi_read_timeout 2400;',
    '}',
    '',
  ].join('\n');

  it('rewrites Galaxy, leaves TIaaS byte-identical, keeps the shared timeout for TIaaS and adds the proxy one', () => {
    const out = runOn(deploymentOf({ 'galaxy-main.conf': before }, tcpListener), PROXY_RULES);
    const after = out.after['galaxy-main.conf']!;
    expect(after).toBe(
      [
        'server {',
        '\tlocation / {',
        '\t\tproxy_pass http://127.0.0.1:4001;',
        '\t\tproxy_set_header Host $http_host;',
        '\t\tproxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '\t\tproxy_set_header Upgrade $http_upgrade;',
        '\t\tproxy_set_header X-Forwarded-Proto https;',
        '\t}',
        '\t# TIaaS',
        '\tlocation /tiaas {',
        '\t\tuwsgi_pass 127.0.0.1:5002;',
        '\t\tuwsgi_param UWSGI_SCHEME $scheme;',
        '\t\tinclude uwsgi_params;',
        '\t}',
        '\tuwsgi_read_timeout 2400;',
        '\tproxy_read_timeout 2400;',
        '}',
        '',
      ].join('\n'),
    );
    const tiaas = out.findings.find((f) => f.location.line === 11)!;
    expect(tiaas.ruleId).toBe('proxy/nginx-uwsgi-pass');
    expect(tiaas.severity).toBe('info');
    expect(tiaas.message).toContain("is not taken as Galaxy's");
    expect(tiaas.fix).toBeUndefined();
    expect(out.ids).toEqual([
      'proxy/nginx-uwsgi-pass@3',
      'proxy/nginx-uwsgi-params@4',
      'proxy/nginx-uwsgi-params@5',
      'proxy/nginx-uwsgi-scheme@6',
      'proxy/nginx-uwsgi-scheme@7',
      'proxy/nginx-uwsgi-pass@11',
      'proxy/nginx-uwsgi-tuning@15',
    ]);
  });
});

describe('nginx: one model for bind and proxy', () => {
  it('an upstream of two uWSGI sockets becomes gunicorn\'s one bind, the pass keeps the upstream name', () => {
    const text = 'upstream galaxy {\n    server unix:/srv/galaxy/var/uwsgi.sock max_fails=3;\n    server unix:/srv/galaxy/var/uwsgi2.sock;\n    keepalive 8;\n}\nserver {\n    location / {\n        uwsgi_pass galaxy;\n        include uwsgi_params;\n    }\n}\n';
    const decisions = {
      ...unixListener,
      legacyListeners: [...unixListener.legacyListeners, { ...unixListener.legacyListeners[0]!, address: { kind: 'unix' as const, path: '/srv/galaxy/var/uwsgi2.sock' } }],
    };
    const out = runOn(deploymentOf({ 'galaxy.conf': text }, decisions), PROXY_RULES);
    expect(out.after['galaxy.conf']).toBe(
      'upstream galaxy {\n    server unix:/srv/galaxy/var/gunicorn.sock max_fails=3;\n    keepalive 8;\n}\nserver {\n    location / {\n        proxy_pass http://galaxy;\n        proxy_set_header Host $http_host;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n        proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n',
    );
    expect(out.ids).toEqual(['proxy/nginx-upstream@2', 'proxy/nginx-uwsgi-pass@8', 'proxy/nginx-uwsgi-params@9']);
  });

  it('reports a proxy_pass to uWSGI\'s uwsgi-protocol socket and to a socket nobody listens on', () => {
    const text = [
      'server {',
      '    location /a { proxy_pass http://unix:/srv/galaxy/var/uwsgi.sock; }',
      '    location /b { proxy_pass http://unix:/srv/galaxy/var/galaxy-old.sock:/b; }',
      '    location /c { proxy_pass http://unix:/srv/galaxy/var/gunicorn.sock; }',
      '    location /d { proxy_pass http://127.0.0.1:3000/; }',
      '}',
      '',
    ].join('\n');
    const out = runOn(deploymentOf({ 'galaxy.conf': text }, unixListener), PROXY_RULES);
    expect(out.ids).toEqual(['proxy/nginx-dead-target@2', 'proxy/nginx-dead-target@3']);
    expect(out.findings[0]!.message).toContain("is uWSGI's uwsgi-protocol socket (socket in config/galaxy.yml): HTTP cannot talk to it");
    expect(out.findings[1]!.message).toContain('nobody in this deployment listens on unix:/srv/galaxy/var/galaxy-old.sock; gunicorn binds unix:/srv/galaxy/var/gunicorn.sock');
    expect(out.after['galaxy.conf']).toBe(text);
  });

  it('without any uWSGI config: the fix proposes the conventional address and says so', () => {
    const text = 'server {\n    location / {\n        uwsgi_pass unix:///srv/galaxy/var/uwsgi.sock;\n        include uwsgi_params;\n    }\n}\n';
    const out = runOn(deploymentOf({ 'galaxy.conf': text }, {}), PROXY_RULES);
    const pass = out.findings.find((f) => f.ruleId === 'proxy/nginx-uwsgi-pass')!;
    expect(pass.severity).toBe('warning');
    expect(pass.message).toContain('no uWSGI configuration of Galaxy was read, so gunicorn\'s bind is not known; this assumes gravity.gunicorn.bind: "unix:/srv/galaxy/var/gunicorn.sock"');
    expect(out.after['galaxy.conf']).toContain('proxy_pass http://unix:/srv/galaxy/var/gunicorn.sock;');
    const params = out.findings.find((f) => f.ruleId === 'proxy/nginx-uwsgi-params')!;
    expect(params.notes?.[0]).toContain("Debian's stable packages pass $host");
  });

  it('reads HTTP_HOST from the uwsgi_params the deployment holds', () => {
    const files = {
      'nginx/sites-enabled/galaxy': 'server {\n    location / {\n        uwsgi_pass 127.0.0.1:4001;\n        include uwsgi_params;\n    }\n}\n',
      'nginx/uwsgi_params': 'uwsgi_param  QUERY_STRING $query_string;\nuwsgi_param  HTTP_HOST $host;\n',
    };
    const out = runOn(deploymentOf(files, tcpListener), PROXY_RULES);
    expect(out.after['nginx/sites-enabled/galaxy']).toContain('proxy_set_header Host $host;');
  });
});

describe('nginx: the user says whose a location is', () => {
  it('a "# galaxy-migrate:" comment above the pass or its location wins over the model', () => {
    const text = [
      'server {',
      '    # galaxy-migrate: galaxy',
      '    location /beta {',
      '        uwsgi_pass 127.0.0.1:4999;',
      '        include uwsgi_params;',
      '    }',
      '    location / {',
      '        # galaxy-migrate: not-galaxy',
      '        uwsgi_pass 127.0.0.1:4001;',
      '    }',
      '}',
      '',
    ].join('\n');
    const out = runOn(deploymentOf({ 'galaxy.conf': text }, tcpListener), PROXY_RULES);
    expect(out.after['galaxy.conf']).toContain('        proxy_pass http://127.0.0.1:4001;\n        proxy_set_header Host $http_host;');
    expect(out.after['galaxy.conf']).toContain('        # galaxy-migrate: not-galaxy\n        uwsgi_pass 127.0.0.1:4001;');
    expect(out.findings.find((f) => f.location.line === 9)!.message).toContain('a "# galaxy-migrate: not-galaxy" comment says so');
  });
});
