import { describe, expect, it } from 'vitest';
import { PROXY_RULES } from '../../../rules/proxy/index.js';
import { APACHE_BEFORE } from './fixtures.js';
import { deploymentOf, runOn } from './helpers.js';

const unixListener = {
  legacyListeners: [{ option: 'socket', protocol: 'uwsgi' as const, address: { kind: 'unix' as const, path: '/srv/galaxy/var/uwsgi.sock' }, file: 'config/galaxy.yml', range: { start: 0, end: 0 } }],
  gunicornBind: 'unix:/srv/galaxy/var/gunicorn.sock',
  gunicornAddress: { kind: 'unix' as const, path: '/srv/galaxy/var/gunicorn.sock' },
  forwardedAllowAll: true,
  urlPrefix: '/galaxy',
};

describe('Apache: mod_proxy_uwsgi to mod_proxy_http', () => {
  it('rewrites Galaxy to unix:…|http://localhost/galaxy, adds ProxyPreserveHost, leaves the Reports app', () => {
    const out = runOn(deploymentOf({ 'apache/galaxy.conf': APACHE_BEFORE }, unixListener), PROXY_RULES);
    expect(out.after['apache/galaxy.conf']).toBe(
      [
        'LoadModule proxy_uwsgi_module /usr/lib/apache2/modules/mod_proxy_uwsgi.so',
        'LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so',
        '<VirtualHost *:80>',
        '    ServerName galaxy.example.org',
        '    # Galaxy needs to know that this is https for generating URLs',
        '    RequestHeader set X-Forwarded-Proto expr=%{REQUEST_SCHEME}',
        '    ProxyTimeout 180',
        '    <IfModule mod_proxy_uwsgi.c>',
        '        ProxyPreserveHost On',
        '        ProxyPass /galaxy unix:/srv/galaxy/var/gunicorn.sock|http://localhost/galaxy',
        '    </IfModule>',
        '    # the reports app keeps its uWSGI',
        '    ProxyPass /reports uwsgi://127.0.0.1:9001/',
        '</VirtualHost>',
        '',
      ].join('\n'),
    );
    expect(out.ids).toEqual([
      'proxy/apache-proxy-uwsgi-module@1',
      'proxy/apache-url-scheme@5',
      'proxy/apache-preserve-host@8',
      'proxy/apache-proxypass-uwsgi@8',
      'proxy/apache-proxypass-uwsgi@11',
    ]);
    expect(out.findings.find((f) => f.location.line === 11)!.severity).toBe('info');
  });

  it('switches the module and its IfModule when only Galaxy used uwsgi://, TCP form keeps the path', () => {
    const text = [
      'LoadModule proxy_uwsgi_module modules/mod_proxy_uwsgi.so',
      '<IfModule mod_proxy_uwsgi.c>',
      '\tProxyPass / uwsgi://127.0.0.1:4001/',
      '\tProxyPassReverse / uwsgi://127.0.0.1:4001/',
      '</IfModule>',
      'ProxyPreserveHost Off',
      '',
    ].join('\n');
    const tcp = {
      legacyListeners: [{ option: 'socket', protocol: 'uwsgi' as const, address: { kind: 'tcp' as const, host: '127.0.0.1', port: 4001 }, file: 'galaxy.yml', range: { start: 0, end: 0 } }],
      gunicornBind: '127.0.0.1:4001',
      forwardedAllowAll: false,
    };
    const out = runOn(deploymentOf({ 'httpd/galaxy.conf': text }, tcp, { 'httpd/galaxy.conf': 'apache' }), PROXY_RULES);
    expect(out.after['httpd/galaxy.conf']).toBe(
      [
        'LoadModule proxy_http_module modules/mod_proxy_http.so',
        '<IfModule mod_proxy_http.c>',
        '\tProxyPass / http://127.0.0.1:4001/',
        '\tProxyPassReverse / http://127.0.0.1:4001/',
        '</IfModule>',
        'ProxyPreserveHost On',
        '',
      ].join('\n'),
    );
  });
});

describe('Apache without a uWSGI configuration of Galaxy: two uwsgi:// sites (FUZZ_RUNS=20000 FUZZ_SEED=6)', () => {
  const files = {
    'apache/main.conf': '<VirtualHost *:80>\n    ProxyPass / uwsgi://127.0.0.1:4000/\n</VirtualHost>\n',
    'apache/other.conf': '<VirtualHost *:81>\n    ProxyPass /tools uwsgi://127.0.0.1:4001/\n</VirtualHost>\n',
  };

  it('rewrites only the main ProxyPass, and planning its result again still leaves the other site alone', () => {
    const first = runOn(deploymentOf(files), PROXY_RULES);
    expect(first.after['apache/main.conf']).toBe('<VirtualHost *:80>\n    ProxyPreserveHost On\n    ProxyPass / http://127.0.0.1:4000/\n</VirtualHost>\n');
    expect(first.after['apache/other.conf']).toBe(files['apache/other.conf']);

    const second = runOn(deploymentOf({ ...files, 'apache/main.conf': first.after['apache/main.conf']! }), PROXY_RULES);
    expect(second.after['apache/other.conf']).toBe(files['apache/other.conf']);
    expect(second.after['apache/main.conf']).toBe(first.after['apache/main.conf']);
  });
});

describe('an Apache word with a Unicode line separator in it (FUZZ_RUNS=20000 FUZZ_SEED=9)', () => {
  it('is one word to Apache (it splits at ASCII blanks only), so not a uwsgi:// URL: no finding on it, no crash', () => {
    const conf = '<VirtualHost *:80>\n    ProxyPass /galaxy \u2028uwsgi://127.0.0.1:4001/\n</VirtualHost>\n';
    const out = runOn(deploymentOf({ 'apache/galaxy.conf': conf }), PROXY_RULES);
    expect(out.ids).toEqual([]);
    expect(out.after['apache/galaxy.conf']).toBe(conf);
  });
});
